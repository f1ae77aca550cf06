"""What the animations say, step by step, in both languages: every scene of every animation (and a
few replayed model runs) narrated by the real renderers in node (narrate_scenes.mjs), checked
against the events it narrates. A sentence may state only what the events show: the geometric
series of pre-copy only for rounds that follow it, an audit only for the block it checked, a
flooded frame for the reason it was flooded. The Chinese is punctuated as Chinese: lists joined
with 、, no ASCII comma or colon against Chinese text, no space beside full-width punctuation or
between two Chinese characters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tutor.sim import ConstantDirtyRate, MigrationLink, Trace, precopy
from tutor.sim.network import VirtualSwitch
from tutor.sim.scenarios import DesktopPool
from tutor.web.scenes import SCENES, registered

from ..conftest import ROOT

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "zh")
Narrated = dict[str, dict[str, dict[str, list[str]]]]

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_WIDTH = "，。、：；！？（）“”《》"


def _adaptive_rate() -> list[dict[str, Any]]:
    """The paper's adaptive rate: each round at a new rate, so each shrinks by a new share."""
    trace = Trace()
    precopy(1024.0, ConstantDirtyRate(1024.0, 60.0), rules="xen-v2", trace=trace, guest="web")
    return trace.events


def _resends_memory() -> list[dict[str, Any]]:
    """A loop that resends all of memory instead of what the round before dirtied."""
    trace = Trace()
    link = MigrationLink(1024.0, ConstantDirtyRate(1024.0, 100.0), 1000.0, trace=trace, guest="web")
    link.send(1024.0)
    link.send(1024.0)
    link.stop_and_copy(1024.0, "max_rounds")
    return trace.events


def _audit_again() -> list[dict[str, Any]]:
    """The desktop scene with the security setting checked again after the patch."""
    pool = DesktopPool()
    pool.install(3, 1)
    pool.roll_out(5)
    pool.desktops[2].write_disk("os", 3, 0)
    pool.audit(3, 1)
    pool.push_update({3: 1, 7: 2})
    pool.audit(3, 1)
    return pool.trace.events


def _lonely_broadcast() -> list[dict[str, Any]]:
    """A broadcast on a VLAN with no other port: flooded to nobody."""
    trace = Trace()
    switch = VirtualSwitch(trace=trace)
    switch.attach("a-web", "52:54:00:00:00:01", 10)
    switch.attach("c-app", "52:54:00:00:00:05", 30)
    switch.send("c-app", "52:54:00:00:00:05", "ff:ff:ff:ff:ff:ff")
    return trace.events


REPLAYS = {
    "migration-rounds": {"adaptive": _adaptive_rate, "resends-memory": _resends_memory},
    "virtualization-types": {"audit-again": _audit_again, "lonely-broadcast": _lonely_broadcast},
}


def narrate(tmp_path: Path, language: str) -> Narrated:
    """Every step's sentence and drawn label, by the real JS (copied beside a package.json so
    node loads it as ES modules)."""
    js = tmp_path / "js"
    if not js.exists():
        shutil.copytree(ROOT / "static" / "js", js, ignore=shutil.ignore_patterns("vendor"))
        (tmp_path / "package.json").write_text('{"type": "module"}', encoding="utf-8")
        shutil.copy(HERE / "narrate_scenes.mjs", tmp_path / "narrate_scenes.mjs")
    request = {
        "lang": language,
        "animations": {name: SCENES[name]() for name in sorted(registered())},
        "replays": {
            name: [{"caseName": case, "trace": make()} for case, make in cases.items()]
            for name, cases in REPLAYS.items()
        },
    }
    given = tmp_path / f"input-{language}.json"
    given.write_text(json.dumps(request), encoding="utf-8")
    out = subprocess.run(
        ["node", str(tmp_path / "narrate_scenes.mjs"), str(js), str(given)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(out.stdout))


@pytest.fixture(scope="module")
def narrated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Narrated]:
    if shutil.which("node") is None:
        pytest.fail("node is needed to run the animations' JS (Debian: apt-get install nodejs)")
    tmp = tmp_path_factory.mktemp("narrate")
    return {language: narrate(tmp, language) for language in LANGUAGES}


def scene_events(animation: str, scene: str) -> list[dict[str, Any]]:
    if scene.startswith("replay:"):
        return REPLAYS[animation][scene.removeprefix("replay:")]()
    data = SCENES[animation]()
    return next(s["events"] for s in data["scenes"] if s["id"] == scene)


# --- Chinese punctuation ----------------------------------------------------------------------

_RULES = {
    "an ASCII comma between list items (use 、)": re.compile(r", "),
    "ASCII punctuation against Chinese text": re.compile(f"[{HAN}] ?[,;:]|[,;:] ?[{HAN}]"),
    "a space beside full-width punctuation": re.compile(f"[{FULL_WIDTH}] | [{FULL_WIDTH}]"),
    "a space between two Chinese characters": re.compile(f"[{HAN}] +[{HAN}]"),
}
# Written as values, not prose: a list in brackets ("页框里是 [3, 4, 1]") and code.
_NOTATION = re.compile(r"\[[^\]]*\]|`[^`]*`")


def test_chinese_narration_and_labels_are_punctuated_as_chinese(
    narrated: dict[str, Narrated],
) -> None:
    problems = []
    texts = 0
    for animation, scenes in narrated["zh"].items():
        for scene, told in scenes.items():
            for kind in ("narration", "labels"):
                for text in told[kind]:
                    if not re.search(f"[{HAN}]", text):
                        continue
                    texts += 1
                    prose = _NOTATION.sub("‹›", text)
                    for rule, pattern in _RULES.items():
                        if found := pattern.search(prose):
                            start, end = found.span()
                            near = prose[max(0, start - 20) : end + 20]
                            problems.append(f"{animation}/{scene} {kind}: {rule}: “…{near}…”")
    assert texts > 500
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_lists_in_chinese_are_joined_with_the_enumeration_comma(
    narrated: dict[str, Narrated],
) -> None:
    zh = narrated["zh"]
    files = zh["machine-slices"]["files"]["narration"]
    assert any("web.vmx、web-disk0.vmdk、web.vmss" in s for s in files)
    carve = zh["machine-slices"]["carve"]["narration"]
    assert any("落在核心 0、1 上" in s for s in carve)
    assert "已学到：a-web→0、a-db→1" in zh["virtualization-types"]["network_function"]["labels"]
    assert "应用请求：name、city" in zh["virtualization-types"]["data"]["labels"]
    never = zh["migration-rounds"]["never-converges"]["narration"]
    assert any("是 xen-v2（Xen ≥ 4.6）的上限" in s for s in never)
    # English keeps its commas.
    en = narrated["en"]["machine-slices"]["files"]["narration"]
    assert any("web.vmx, web-disk0.vmdk, web.vmss" in s for s in en)


# --- lesson 11: the series only where the rounds follow it -------------------------------------

# The series named as what the round follows (not "this is not the series V_i …").
SERIES = {"en": ": the series V_i", "zh": "这就是级数 V_i"}


def follows_the_series(rounds: list[dict[str, Any]], i: int) -> bool:
    """Round i is the series' when every share of a round to the one before, up to round i, is
    the same (to 1 %) and each round sent what the one before dirtied."""
    if i < 2:
        return False
    sent = [float(r["sent_mb"]) for r in rounds[: i + 1]]
    if any(s <= 0 for s in sent[:-1]):
        return False
    resent = all(
        float(rounds[k]["sent_mb"]) == pytest.approx(float(rounds[k - 1]["dirtied_mb"]))
        for k in range(1, i + 1)
    )
    shares = [sent[k] / sent[k - 1] for k in range(1, i + 1)]
    same = all(q == pytest.approx(shares[0], rel=0.01) for q in shares)
    return resent and shares[-1] < 0.999 and same


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_series_is_named_only_for_rounds_that_follow_it(
    narrated: dict[str, Narrated], language: str
) -> None:
    checked = 0
    for scene, told in narrated[language]["migration-rounds"].items():
        events = scene_events("migration-rounds", scene)
        rounds = [e for e in events if e["kind"] == "migrate.round"]
        for event, sentence in zip(events, told["narration"], strict=True):
            if event["kind"] != "migrate.round":
                continue
            expected = follows_the_series(rounds, rounds.index(event))
            assert (SERIES[language] in sentence) == expected, (scene, event["round"], sentence)
            checked += expected
    assert checked >= 3  # the first scene's rounds 2-4 are the series


def test_a_working_set_is_told_as_what_it_is(narrated: dict[str, Narrated]) -> None:
    """The hot pages' rounds shrink by a bigger share each time (0.07, 0.172, 0.456 …): never
    the series, however close two shares come."""
    en = narrated["en"]["migration-rounds"]["working-set"]["narration"]
    zh = narrated["zh"]["migration-rounds"]["working-set"]["narration"]
    assert not any("V_i = M·(d/B)^i, with" in s for s in en)
    assert not any("这就是级数" in s for s in zh)
    assert "a bigger share than last time (0.172): the rounds shrink less and less" in en[4]
    assert "rewriting a page that is already dirty adds nothing to send" in en[4]
    assert "比上一次的比例（0.172）大：各轮缩小得越来越慢" in zh[4]
    assert "改写一个已经脏了的页，并不会增加要发送的量" in zh[4]


def test_a_run_off_the_series_says_why(narrated: dict[str, Narrated]) -> None:
    en = narrated["en"]["migration-rounds"]
    assert any("the share d/B changes with B" in s for s in en["replay:adaptive"]["narration"])
    resent = en["replay:resends-memory"]["narration"]
    assert "Pre-copy would send what the round before dirtied, 102 MB, not 1,024 MB." in resent[2]
    zh = narrated["zh"]["migration-rounds"]
    assert any("比例 d/B 随 B 变了" in s for s in zh["replay:adaptive"]["narration"])
    resent_zh = zh["replay:resends-memory"]["narration"][2]
    assert "预复制这一轮应当发送上一轮写脏的 102 MB，而不是 1,024 MB。" in resent_zh


# --- lesson 4: the desktop audits ------------------------------------------------------------


def test_each_desktop_audit_says_only_what_it_checked(narrated: dict[str, Narrated]) -> None:
    events = scene_events("virtualization-types", "desktop")
    audits = [i for i, e in enumerate(events) if e["kind"] == "desktop.audit"]
    assert [events[i]["block"] for i in audits] == [3, 7]
    en = narrated["en"]["virtualization-types"]["desktop"]
    zh = narrated["zh"]["virtualization-types"]["desktop"]
    first, second = (en["narration"][i] for i in audits)
    assert "security check" in first and "(block 3): 1 failing, desk042" in first
    # The second check looks at the patch's block: it cannot say the setting is back.
    assert "security check" not in second
    assert "of block 7, which the patch wrote: every one has the patch" in second
    assert "not at the security setting" in second
    assert not any("passes now" in s or "compliant" in s for s in en["narration"])
    assert "检查的是补丁写入的第 7 块：每一台都有这个补丁" in zh["narration"][audits[1]]
    assert not any("现在合格了" in s or "合规" in s for s in zh["narration"])
    assert "Audit of block 7 on 200 desktops: all pass ✓" in en["labels"]
    assert "检查 200 台桌面的第 7 块：全部合格 ✓" in zh["labels"]


def test_a_second_check_of_the_same_block_names_the_desktop_that_passes_again(
    narrated: dict[str, Narrated],
) -> None:
    en = narrated["en"]["virtualization-types"]["replay:audit-again"]["narration"]
    zh = narrated["zh"]["virtualization-types"]["replay:audit-again"]["narration"]
    assert en[-1].endswith(
        "(block 3): none failing."
        " desk002, which failed the earlier check of this block, passes now."
    )
    assert zh[-1].endswith(
        "（第 3 块）：没有不合格的。之前对这一块的检查中不合格的 desk002，现在合格了。"
    )


# --- lesson 4: why a frame is flooded --------------------------------------------------------

BROADCAST = "ff:ff:ff:ff:ff:ff"


@pytest.mark.parametrize("scene", ["network_function", "replay:lonely-broadcast"])
def test_a_flooded_frame_is_flooded_for_the_right_reason(
    narrated: dict[str, Narrated], scene: str
) -> None:
    events = scene_events("virtualization-types", scene)
    en = narrated["en"]["virtualization-types"][scene]["narration"]
    zh = narrated["zh"]["virtualization-types"][scene]["narration"]
    flooded = [i for i, e in enumerate(events) if e["kind"] == "net.forward" and e["flooded"]]
    assert flooded
    for i in flooded:
        if events[i]["dst"] == BROADCAST:
            # A broadcast goes to its whole VLAN whatever the switch knows: no unknown address.
            reason = "whatever the switch has learned" in en[i] or "reaches nobody" in en[i]
            assert "broadcast" in en[i] and reason, en[i]
            assert "unknown" not in en[i] and "not learned" not in en[i], en[i]
            assert "广播帧" in zh[i] and "未知" not in zh[i] and "学到这个地址" not in zh[i], zh[i]
        else:
            # Any other frame is flooded because its destination is not learned on that VLAN.
            assert "has not learned" in en[i], en[i]
            assert "这个地址" in zh[i], zh[i]
    if scene == "network_function":
        broadcast = next(i for i in flooded if events[i]["dst"] == BROADCAST)
        assert zh[broadcast].startswith("b-web 发出一个广播帧，发给所有人：无论交换机学到了什么")
