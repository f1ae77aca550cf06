"""Carves the learner's VM spec out of a model host and checks it against the workload; public.

The model decides: ``SlicedHost.carve`` admits the spec or refuses it (``slice.refused`` names the
resource), then the next guest must still be carved. Whether the spec meets the workload is
checked here, resource by resource. Several specs can be right, so the reference's spec is never
compared with the learner's: only whether one exists.
"""

from tutor.explanations import explain
from tutor.sim import CapacityExceeded, Disk, Host, Nic, SlicedHost

RETURNS = {"spec": ({"vcpus": int, "memory_pages": int, "disk_blocks": int, "nic_mbps": int}, None)}
KEYS = ("vcpus", "memory_pages", "disk_blocks", "nic_mbps")


def run(submission, args, trace):
    host, workload = args["host"], args["workload"]
    model = SlicedHost(
        Host(
            "host",
            cores=host["cores"],
            memory_pages=host["memory_pages"],
            disks=(Disk("sda", host["disk_blocks"]),),
            nics=(Nic("eth0", host["nic_mbps"]),),
        ),
        trace=trace,
        hypervisor_pages=host["hypervisor_pages"],
    )
    for i, guest in enumerate(host["guests"]):
        model.carve(f"guest{i + 1}", *(guest[key] for key in KEYS))
    spec = submission.spec(_copy(host), _copy(workload))
    outcome = {"spec": spec, "refused": None, "error": None, "short": [], "room": None}
    if spec is None:
        return outcome
    try:
        model.carve("yours", *(spec[key] for key in KEYS))
    except CapacityExceeded as error:
        outcome["refused"] = {"en": str(error), "zh": error.zh}
        return outcome
    need = {
        "vcpus": workload["threads"],
        "memory_pages": workload["os_pages"] + workload["app_pages"],
        "disk_blocks": workload["os_blocks"] + workload["data_blocks"],
        "nic_mbps": workload["mbps"],
    }
    outcome["short"] = [key for key in KEYS if spec[key] < need[key]]
    if host["next"] is not None:
        try:
            model.carve("next", *(host["next"][key] for key in KEYS))
            outcome["room"] = True
        except CapacityExceeded as error:
            outcome["room"] = {"en": str(error), "zh": error.zh}
    return outcome


def compare(args, expected, actual, reveal=False):
    possible = expected["spec"] is not None
    if actual["spec"] is None:
        return None if not possible else explain("vm_spec.exists")
    if actual["refused"]:
        message = explain("vm_spec.refused", why=actual["refused"])
    elif actual["short"]:
        key = actual["short"][0]
        why = explain(f"vm_spec.needs.{key}")
        message = explain("vm_spec.short", key=key, value=actual["spec"][key], why=why)
    elif actual["room"] not in (None, True):
        message = explain("vm_spec.next_guest", why=actual["room"])
    elif possible:
        return None
    else:
        message = explain("vm_spec.passes")
    tail = {"en": "", "zh": ""} if possible else explain("vm_spec.none_needed")
    return {lang: message[lang] + tail[lang] for lang in message}


def _copy(value):
    """The learner's function may change what it is given; the grader's copy stays intact."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
