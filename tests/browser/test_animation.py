"""The lesson 5 animation in real Chromium: layer stacks, step player, reduced motion, replay.

The expected layers and events come from running the simulation here, so the page is checked
against the same model that produced its data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tutor.sim import DeviceModel, Trace, Vcpu
from tutor.sim.kvm import SERIAL_PORT
from tutor.web.scenes import layer_stacks

from ._learner import hold_python

LESSON = "/lessons/hypervisors"
DATA = layer_stacks()
SCENES = {scene["id"]: scene for scene in DATA["scenes"]}
DEFAULT = SCENES[DATA["default"]]["events"]
LANE_DOWN = 10  # x of the token going down, inside its stack (layer-stacks.js LANE.down)


def open_lesson(page: Page, live_server: str, query: str = "") -> Page:
    # Offline like the test machine: the CDN fails fast and d3 comes from the pinned local copy.
    page.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    hold_python(page)  # Python is not needed to animate
    page.goto(f"{live_server}{LESSON}{query}")
    # lesson.js imports the module too; the same URL is one module instance, mounted once.
    page.add_script_tag(type="module", url=f"{live_server}/static/js/viz/index.js")
    page.wait_for_selector(".viz[data-viz-mounted='true']")
    return page


@pytest.fixture
def viz(page: Page, live_server: str) -> Iterator[Page]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{error}\n{error.stack or ''}"))
    yield open_lesson(page, live_server)
    assert not [e for e in errors if "/viz/" in e], errors


def progress(page: Page) -> str:
    return page.inner_text(".viz-progress")


def live(page: Page) -> str:
    return page.inner_text(".viz-live")


def step_forward(page: Page, times: int = 1) -> None:
    for _ in range(times):
        page.keyboard.press("ArrowRight")


def token_xy(page: Page, hv: str) -> tuple[float, float]:
    transform = page.get_attribute(f".stack[data-hv='{hv}'] .token", "transform") or ""
    match = re.fullmatch(r"translate\(([-\d.]+),\s*([-\d.]+)\)", transform)
    assert match, transform
    return float(match[1]), float(match[2])


def row_cy(page: Page, hv: str, layer: str) -> float:
    return float(
        page.get_attribute(f".stack[data-hv='{hv}'] .row[data-layer='{layer}']", "data-cy") or "nan"
    )


def test_four_stacks_with_the_models_layers(viz: Page) -> None:
    stacks = viz.eval_on_selector_all(
        ".stack[data-hv]",
        "els => Object.fromEntries(els.map(s => [s.dataset.hv,"
        " [...s.querySelectorAll('.row')].map(r => r.dataset.layer)]))",
    )
    assert stacks == DATA["stacks"]
    assert list(stacks) == ["type1", "type1_partition", "type2", "kvm"]
    assert "world_switch" in stacks["type2"] and "world_switch" not in stacks["kvm"]
    assert "device_model" in stacks["kvm"] and "device_model" not in stacks["type2"]
    # Both type 1 designs: drivers in the hypervisor, or in a privileged partition.
    assert "hypervisor_driver" in stacks["type1"] and "backend_driver" not in stacks["type1"]
    assert "backend_driver" in stacks["type1_partition"]
    assert "hypervisor_driver" not in stacks["type1_partition"]
    expect(viz.locator(".stack[data-hv='type1_partition'] .stack-examples")).to_have_text(
        "Xen, Microsoft Hyper-V"
    )
    # Owners are told in words, not by colour alone, and the legend names all six.
    expect(
        viz.locator(".stack[data-hv='type2'] .row[data-layer='world_switch'] .row-owner")
    ).to_have_text("CPU")
    expect(viz.locator(".viz-legend li.owner")).to_have_count(6)
    expect(viz.locator(".stack[data-hv='kvm'] .chip")).to_have_count(6)
    assert viz.get_attribute("svg.layer-stacks", "role") == "img"


def test_keyboard_steps_forward_and_back_with_descriptions(viz: Page) -> None:
    n = len(DEFAULT)
    viz.focus(".viz-stage")
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 0 of {n}")
    step_forward(viz)
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 1 of {n}")
    first = live(viz)
    assert first == "Type 1 · monolithic: the guest starts a disk read."
    step_forward(viz)
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 2 of {n}")
    assert live(viz).startswith("The disk read enters the guest application (50 cycles)")
    step_forward(viz, 2)
    assert live(viz).startswith("The disk read goes through a VM exit (1,200 cycles)")
    viz.keyboard.press("ArrowLeft")
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 3 of {n}")
    assert live(viz).startswith("The disk read enters the guest kernel (800 cycles)")
    viz.keyboard.press("ArrowLeft")
    viz.keyboard.press("ArrowLeft")
    assert live(viz) == first
    viz.keyboard.press("Home")
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 0 of {n}")


def test_keys_typed_outside_the_viz_do_not_step_it(viz: Page) -> None:
    viz.evaluate(
        "document.body.append(Object.assign(document.createElement('input'), {id: 'elsewhere'}))"
    )
    viz.focus("#elsewhere")
    viz.keyboard.type("k k")
    viz.keyboard.press("ArrowRight")
    viz.keyboard.press("Home")
    expect(viz.locator(".viz-progress")).to_have_text(re.compile(r"^Step 0 of"))
    assert viz.get_attribute(".viz-play", "aria-pressed") != "true"


def test_play_advances_and_pause_stops(viz: Page) -> None:
    viz.select_option(".viz-speed", "4")
    viz.click(".viz-play")
    expect(viz.locator(".viz-play")).to_have_attribute("aria-pressed", "true")
    # Predicates are functions, not expressions: the page's CSP forbids eval of a string.
    viz.wait_for_function("() => Number(document.querySelector('.viz').dataset.step) >= 3")
    viz.focus(".viz-stage")
    viz.keyboard.press("k")
    expect(viz.locator(".viz-play")).to_have_attribute("aria-pressed", "false")
    stopped = progress(viz)
    viz.wait_for_timeout(1200)  # three steps' worth at 4×
    assert progress(viz) == stopped
    viz.keyboard.press("Space")
    viz.wait_for_function(
        f"() => document.querySelector('.viz-progress').textContent !== {stopped!r}",
        timeout=5_000,
    )


def test_reduced_motion_jumps_straight_to_each_step(page: Page, live_server: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    open_lesson(page, live_server)
    page.focus(".viz-stage")
    step_forward(page)  # op.start: nothing moves yet
    for step, layer in [(2, "guest_app"), (3, "guest_kernel"), (4, "vm_exit"), (5, "hypervisor")]:
        step_forward(page)
        assert page.inner_text(".viz-progress").startswith(f"Step {step} of")
        # Read at once: with no tween the token is already where the step puts it.
        assert token_xy(page, "type1") == (LANE_DOWN, row_cy(page, "type1", layer))


def test_normal_motion_tweens_the_token(viz: Page) -> None:
    """The contrast that makes the reduced-motion test meaningful."""
    viz.select_option(".viz-speed", "0.5")
    viz.focus(".viz-stage")
    step_forward(viz, 2)
    viz.wait_for_timeout(1500)
    start = token_xy(viz, "type1")
    step_forward(viz)
    target = (float(LANE_DOWN), row_cy(viz, "type1", "guest_kernel"))
    assert token_xy(viz, "type1") != target
    # d3's interpolator writes "translate(10, 115)": compare numbers, not strings.
    viz.wait_for_function(
        "([x, cy]) => document.querySelector(\".stack[data-hv='type1'] .token\")"
        ".getAttribute('transform').replace(/\\s/g, '') === `translate(${x},${cy})`",
        arg=[LANE_DOWN, target[1]],
    )
    assert start != target


def _acting_chips(page: Page) -> list[list[str]]:
    return page.eval_on_selector_all(
        ".chip.is-acting",
        "els => els.map(c => [c.closest('.stack').dataset.hv, c.dataset.component])",
    )


def test_components_light_exactly_on_component_act(viz: Page) -> None:
    viz.focus(".viz-stage")
    hv = None
    lit_steps = 0
    for event in DEFAULT:
        step_forward(viz)
        hv = event.get("hv", hv)
        acting = _acting_chips(viz)
        if event["kind"] == "component.act":
            lit_steps += 1
            assert acting == [[hv, event["component"]]], (event, acting)
        else:
            assert acting == [], (event, acting)
    assert lit_steps == sum(e["kind"] == "component.act" for e in DEFAULT) > 0
    # Chips that acted stay marked, more quietly, so the end state still shows who worked.
    type2 = {e["component"] for e in SCENES["type2/disk_read"]["events"] if "component" in e}
    expect(viz.locator(".stack[data-hv='type2'] .chip.has-acted")).to_have_count(len(type2))


def test_scene_picker_shows_one_stack(viz: Page) -> None:
    viz.select_option(".viz-scene", "kvm/privileged")
    n = len(SCENES["kvm/privileged"]["events"])
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 0 of {n}")
    expect(viz.locator(".stack.is-idle")).to_have_count(len(DATA["kinds"]) - 1)
    expect(viz.locator(".stack[data-hv='kvm']")).not_to_have_class(re.compile("is-idle"))


def _learner_trace() -> list[dict[str, Any]]:
    """What the model records for a loop that prints one character: the guest's OUT leaves guest
    mode, the kvm module declines it, KVM_RUN returns IO, the device model prints. An event kind
    the animation does not know is appended: it must be described, never fail."""
    trace = Trace()
    vcpu = Vcpu([("mov", "a", 72), ("out", SERIAL_PORT, "a"), ("hlt",)], trace=trace)
    out = vcpu.run()
    DeviceModel(trace=trace).port_write(out.port or 0, out.data or 0)
    return [*trace.events, {"seq": len(trace.events), "kind": "telemetry.blip", "x": 1}]


LEARNER_TRACE = _learner_trace()


def replay(page: Page, case: str, trace: object) -> None:
    page.evaluate(
        """([caseName, trace]) => document.dispatchEvent(new CustomEvent("virttutor:replay",
             {detail: {exerciseId: "vcpu-run-loop", caseName, trace}}))""",
        [case, trace],
    )


def test_replay_loads_a_learner_trace_on_the_kvm_stack(viz: Page) -> None:
    replay(viz, "print OK", LEARNER_TRACE)
    expect(viz.locator(".viz-progress")).to_have_text(f"Step 0 of {len(LEARNER_TRACE)}")
    assert viz.eval_on_selector(".viz-scene", "s => s.selectedOptions[0].textContent") == (
        "Your run: print OK"
    )
    assert viz.evaluate("document.activeElement.classList.contains('viz-stage')")
    expect(viz.locator(".stack.is-idle")).to_have_count(len(DATA["kinds"]) - 1)
    texts = []
    for _ in LEARNER_TRACE:
        step_forward(viz)
        texts.append(live(viz))
    assert texts[0] == "KVM_RUN enters the guest at pc 0."
    assert texts[2] == "The guest executes “out” (pc 1)."
    # In the order it happens: the instruction leaves guest mode, the kvm module declines it,
    # and only then does KVM_RUN return the exit reason to user space, where QEMU's role begins.
    assert texts[3].startswith("The “out” instruction goes through a VM exit (1,200 cycles)")
    assert texts[4].startswith("The “out” instruction enters the KVM kernel module (400 cycles)")
    returned = texts.index(
        "KVM_RUN returns to user space with exit reason IO: the guest wrote 72 to port 0x3f8."
    )
    assert returned > 3
    assert texts[returned - 1].startswith("The “out” instruction goes through the return from")
    assert texts[returned + 1].startswith("The IO exit enters the user-space device model")
    assert not any("guest kernel" in text for text in texts[3:])
    assert texts[-2] == 'The serial port prints "H" (72).'
    assert "telemetry.blip" in texts[-1] and "x=1" in texts[-1]
    assert viz.get_attribute(".stack[data-hv='kvm'] .token", "data-layer") == "device_model"
    expect(viz.locator(".stack[data-hv='kvm'] .cycles-text")).to_have_text("Cycles: 5,100")


def test_replay_of_a_wrong_path_says_the_layer_is_not_in_the_stack(viz: Page) -> None:
    trace = [
        {"seq": 0, "kind": "op.start", "hv": "type2", "op": "disk_read", "guest": "vm1"},
        {"seq": 1, "kind": "layer.enter", "layer": "guest_app", "dir": "down", "cycles": 50},
        {"seq": 2, "kind": "layer.enter", "layer": "hypervisor", "dir": "down", "cycles": 1500},
        {"seq": 3, "kind": "layer.enter", "layer": "no_such_layer", "dir": "down", "cycles": 0},
    ]
    replay(viz, "type2 disk_read", {"schema": 1, "events": trace})
    expect(viz.locator(".viz-progress")).to_have_text("Step 0 of 4")
    expect(viz.locator(".stack[data-hv='type2']")).not_to_have_class(re.compile("is-idle"))
    step_forward(viz, 3)
    assert live(viz).endswith("The type 1 hypervisor is not part of the Type 2 (hosted) stack.")
    assert viz.get_attribute(".stack[data-hv='type2'] .token", "class") == "token is-stray"
    step_forward(viz)
    assert "no such layer" in live(viz)


def test_chinese_page_describes_steps_in_chinese(page: Page, live_server: str) -> None:
    open_lesson(page, live_server, "?lang=zh")
    page.focus(".viz-stage")
    step_forward(page)
    expect(page.locator(".viz-progress")).to_have_text(f"第 1 步，共 {len(DEFAULT)} 步")
    assert live(page) == "类型 1 · 单体式：客户机发起一次磁盘读取。"
    step_forward(page)
    assert live(page).startswith("磁盘读取进入客户机应用程序（50 个周期）")
    expect(page.locator(".viz-play .viz-label")).to_have_text("播放")


def test_the_scrubber_jumps_to_any_step_and_follows_playback(viz: Page) -> None:
    scrubber = viz.locator(".viz-scrubber")
    expect(scrubber).to_have_accessible_name("Go to step")
    total = int(scrubber.get_attribute("max") or 0)
    assert total > 4
    scrubber.fill(str(total - 2))
    expect(viz.locator(".viz")).to_have_attribute("data-step", str(total - 2))
    assert progress(viz) == f"Step {total - 2} of {total}"
    viz.locator(".viz-stage").focus()
    viz.keyboard.press("Home")
    expect(scrubber).to_have_value("0")
    step_forward(viz, 3)
    expect(scrubber).to_have_value("3")


def test_counters_are_written_as_intl_writes_them_in_both_languages(viz: Page) -> None:
    """Integers skip Intl.NumberFormat (its first use costs a phone's start-up ~30 ms): what
    they read must still be exactly what Intl writes, and everything else still goes to Intl."""
    mismatches = viz.evaluate(
        """async () => {
          const { formatNumber } = await import('/static/js/viz/describe.js');
          const numbers = [0, -0, 1, -1, 12, 999, 1000, -1000, 12345, -12345, 999999, 1000000,
                           123456789, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 60, 1234.5, -0.25, NaN];
          for (let digits = 1; digits <= 15; digits += 1) {
            for (let i = 0; i < 20; i += 1) {
              numbers.push(Math.floor((i % 2 ? -1 : 1) * (i + 1) * 7.3 ** digits));
            }
          }
          const cases = [];
          for (const locale of ['en-US', 'zh-CN']) {
            for (const n of numbers) cases.push([n, {}, locale]);
            cases.push([1234.5678, { maximumFractionDigits: 1 }, locale]);
            cases.push([3, { minimumFractionDigits: 2 }, locale]);
          }
          return cases
            .map(([n, options, locale]) => [
              n, locale, new Intl.NumberFormat(locale, options).format(n),
              formatNumber(n, options, locale),
            ])
            .filter(([, , want, got]) => want !== got);
        }"""
    )
    assert mismatches == []
