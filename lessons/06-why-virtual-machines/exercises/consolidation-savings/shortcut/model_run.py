from tutor.sim.consolidation import Fleet, consolidate_fleet


def savings(fleet):
    result = consolidate_fleet(
        Fleet(
            fleet["servers"],
            fleet["utilisation_pct"],
            fleet["cores"],
            fleet["p_max"],
            fleet["p_idle"],
            fleet["target_pct"],
        )
    )
    saved = result.watts_before - result.watts_after
    return {
        "hosts_after": result.hosts_after,
        "watts_before": result.watts_before,
        "watts_after": result.watts_after,
        "kwh_saved": saved * fleet["hours"] / 1000 * fleet["pue"],
    }
