from tutor.sim import TaxClient, idle_tax_allocation


def allocate(total_pages, clients, tau):
    return idle_tax_allocation(total_pages, [TaxClient(**c) for c in clients], tau)
