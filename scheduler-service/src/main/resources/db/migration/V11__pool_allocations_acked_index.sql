-- Each placement reads only the rows not yet acknowledged or acknowledged by a recent report.
create index pool_allocations_acked_report_at on pool_allocations (acked_report_at);
