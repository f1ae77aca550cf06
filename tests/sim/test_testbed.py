"""tutor.sim.testbed: the model a case describes, built the same way for learner and reference."""

from __future__ import annotations

import pytest

from tutor.sim import Trace, testbed


def test_learner_code_finds_no_model_answer_through_the_testbed_module() -> None:
    names = set(vars(testbed))
    for answer in ("precopy", "ResourcePool", "consolidate_servers", "VirtualSwitch", "Guest"):
        assert answer not in names


def test_a_learner_naming_a_host_that_does_not_exist_is_refused_in_both_languages() -> None:
    pool, specs = testbed.announced_pool(
        [{"name": "h1", "cores": 2, "pages": 8}], [{"name": "a", "vcpus": 1, "pages": 4}], Trace()
    )
    place = testbed.place_by_name(pool, specs)
    with pytest.raises(KeyError) as refused:
        place("a", "h9")
    assert "'h9'" in str(refused.value) and "'h9'" in refused.value.zh  # type: ignore[attr-defined]
    place("a", "h1")
    assert testbed.placement_of(pool, ["a", "b"]) == {"a": "h1", "b": None}


def test_a_carved_host_holds_each_guest_in_its_own_slice_after_the_hypervisors_pages() -> None:
    guests = {
        "a": {"memory_pages": 4, "disk_blocks": 2},
        "b": {"memory_pages": 3, "disk_blocks": 5},
    }
    host = testbed.carved_host(guests, hypervisor_pages=8, spare=0, trace=Trace())
    assert host.host_address("a", "memory", 0) == 8
    assert host.host_address("b", "memory", 0) == 12
    assert host.host_address("b", "disk", 0) == 2


def test_replayed_turns_measure_response_and_turnaround_on_the_models_clock() -> None:
    played = testbed.replay_turns([2, 1], [[0, 1], [1, 1], [0, 1]], Trace())
    assert played["response"] == [0, 1] and played["turnaround"] == [3, 2]
    assert played["average_turnaround"] == 2.5
    with pytest.raises(ValueError, match="turn 1 is"):
        testbed.replay_turns([2], [[5, 1]], Trace())


def test_a_testbed_refusal_reads_as_its_sentence_without_a_python_class_name() -> None:
    """first-fit-host's "first_fit returned None for ..." is a ValueError for the code that
    catches one, but the learner reads the rule alone, as for the model's own refusals."""
    from tutor.grading.harness import describe

    pool = testbed.pool_of([{"name": "h1", "cores": 2, "pages": 8}], Trace())
    with pytest.raises(ValueError) as refused:
        testbed.place_each(
            pool,
            [{"name": "a", "vcpus": 1, "pages": 4}],
            testbed.learner_policy(lambda vm, hosts: None),
        )
    message = describe(refused.value)["message"]
    assert message["en"].startswith("first_fit returned None for 'a'")  # type: ignore[index]
    assert "ValueError" not in message["zh"]  # type: ignore[index]
