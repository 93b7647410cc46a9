-- Temporal's own databases live beside the portal's on the same PostgreSQL server.
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
