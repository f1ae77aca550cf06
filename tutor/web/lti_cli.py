"""``flask tutor lti add-platform|list|remove|rotate-key``: registering LMSs with this tool
(docs/lti.md)."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .lti_config import find_platform
from .lti_keys import RotationPending, rotate, signing_key, signs_from
from .lti_models import LtiPlatform

group = AppGroup("lti", help="LTI 1.3: the LMS platforms that may launch VirtTutor.")


def _url(value: str, option: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        sys.exit(f"{option} must be an http(s) address, not {value!r}")
    return value


@group.command("add-platform")
@click.option(
    "--issuer",
    required=True,
    help="The platform's issuer (iss), e.g. https://canvas.instructure.com",
)
@click.option("--client-id", required=True, help="The client id the LMS gave this tool.")
@click.option(
    "--deployment-id",
    "deployment_ids",
    required=True,
    multiple=True,
    help="A deployment id (repeat for several).",
)
@click.option("--auth-url", required=True, help="The platform's OIDC authorization endpoint.")
@click.option("--token-url", required=True, help="The platform's OAuth2 token endpoint.")
@click.option("--jwks-url", required=True, help="The platform's public key set (JWKS).")
def add_platform(
    issuer: str,
    client_id: str,
    deployment_ids: tuple[str, ...],
    auth_url: str,
    token_url: str,
    jwks_url: str,
) -> None:
    """Register a platform, or add deployment ids and new URLs to one already registered."""
    for value, option in (
        (issuer, "--issuer"),
        (auth_url, "--auth-url"),
        (token_url, "--token-url"),
        (jwks_url, "--jwks-url"),
    ):
        _url(value, option)
    platform = find_platform(issuer, client_id)
    if platform is None:
        platform = LtiPlatform(issuer=issuer, client_id=client_id, deployment_ids="")
        db.session.add(platform)
    known = platform.deployments
    platform.deployment_ids = " ".join(known + [d for d in deployment_ids if d not in known])
    platform.auth_url, platform.token_url, platform.jwks_url = auth_url, token_url, jwks_url
    db.session.commit()
    signing_key()
    click.echo(
        f"platform {platform.id}: {issuer} client {client_id} deployments {platform.deployment_ids}"
    )


@group.command("list")
def list_platforms() -> None:
    """The registered platforms."""
    platforms = db.session.execute(db.select(LtiPlatform).order_by(LtiPlatform.id)).scalars()
    shown = False
    for p in platforms:
        shown = True
        click.echo(f"{p.id}\t{p.issuer}\tclient {p.client_id}\tdeployments {p.deployment_ids}")
        click.echo(f"\tauth {p.auth_url}\n\ttoken {p.token_url}\n\tjwks {p.jwks_url}")
    if not shown:
        click.echo("no platforms registered (flask tutor lti add-platform --help)")


@group.command("remove")
@click.argument("platform_id", type=int)
def remove(platform_id: int) -> None:
    """Unregister a platform (by the number `list` shows): its launches are refused from now
    on; the courses and accounts its launches made stay, with their work."""
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        sys.exit(f"no platform {platform_id} (see flask tutor lti list)")
    db.session.delete(platform)
    db.session.commit()
    click.echo(f"removed platform {platform_id} ({platform.issuer})")


@group.command("rotate-key")
@click.option(
    "--now",
    "at_once",
    is_flag=True,
    help="Sign with the new key at once and unpublish the old one (a leaked key). Platforms "
    "that cached the old key set refuse this tool until they fetch it again.",
)
def rotate_key(at_once: bool) -> None:
    """Make a new signing key. It is published at /lti/jwks at once and signs after
    LTI_KEY_AHEAD_HOURS (24), so platforms that cached the key set fetch it first."""
    try:
        key = rotate(at_once)
    except RotationPending as exc:
        sys.exit(f"not rotated: {exc}")
    if at_once:
        click.echo(f"new signing key {key.kid}: signs now; every older key is unpublished")
    else:
        click.echo(
            f"new key {key.kid}: published now, signs from {signs_from(key):%Y-%m-%d %H:%M} "
            f"UTC; until then {signing_key().kid} signs"
        )


def init_app(app: Flask) -> None:
    tutor = app.cli.commands.get("tutor")
    assert isinstance(tutor, click.Group), "cli.init_app first: it makes the tutor group"
    tutor.add_command(group)
