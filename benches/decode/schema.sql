-- The row-decoding benchmark's table: 20 columns of the common types, a third of them nullable.
CREATE TYPE bench_state AS ENUM ('new', 'active', 'done');
CREATE TABLE bench_rows (
    id          bigint PRIMARY KEY,
    account_id  integer NOT NULL,
    name        text NOT NULL,
    email       varchar(120) NOT NULL,
    active      boolean NOT NULL,
    score       double precision NOT NULL,
    balance     numeric(12, 2) NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz,
    birthday    date,
    token       uuid NOT NULL,
    state       bench_state NOT NULL,
    tags        text[] NOT NULL,
    attempts    smallint NOT NULL,
    ratio       real,
    note        text,
    payload     jsonb,
    parent_id   bigint,
    code        char(4),
    flags       integer[]
);
