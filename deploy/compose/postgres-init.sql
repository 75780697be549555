-- The schema registry keeps its schemas in PostgreSQL so ids survive restarts (see docs/adr/0002).
CREATE DATABASE tokentally_registry OWNER tokentally;
