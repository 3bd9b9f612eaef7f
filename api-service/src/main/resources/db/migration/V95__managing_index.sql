-- DeadlineSweeper looks for the manage and unmanage statuses as well, with the same kind of index
-- as V5's.
create index volumes_managing_or_unmanaging on volumes (status)
    where status in ('managing', 'unmanaging');
