-- A list filtered by status (GET /volumes?status=creating, as dashboards, the CSI plugin's
-- callers and the benchmark's watcher ask many times a second) reads only the project's rows in
-- that status, already in the default order, instead of every volume of the project.
create index volumes_project_status_created
    on volumes (project_id, status, created_at desc, id desc);
