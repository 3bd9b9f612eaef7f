-- A placement reads the rows no report acknowledged yet and those a recent report did, as one range
-- of this index (an unacknowledged row counts as acknowledged at infinity). The index on
-- acked_report_at alone could not serve both halves: each placement scanned the whole table, every
-- row of the last service-down-time's placements (3,000 after a burst: 0.6-2 ms under the lock).
drop index pool_allocations_acked_report_at;
create index pool_allocations_counting on pool_allocations ((coalesce(acked_report_at, 'infinity'::timestamptz)));
