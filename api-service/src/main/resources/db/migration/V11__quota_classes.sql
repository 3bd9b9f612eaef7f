-- Cinder's quota classes: limits by class name. Only the class 'default' is used: its limits are the defaults
-- of every project without a limit of its own, before the configured defaults.
create table quota_classes (
    class_name  varchar(255) not null,
    resource    varchar(300) not null,
    hard_limit  integer      not null,
    primary key (class_name, resource)
);
