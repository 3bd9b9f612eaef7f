-- DeadlineSweeper looks for volumes in creating/deleting every 30 s: a partial index keeps that
-- from scanning every volume (it holds only the few rows in flight).
create index volumes_in_flight on volumes (status) where status in ('creating', 'deleting');
