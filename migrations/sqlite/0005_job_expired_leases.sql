-- How many times a claim found the job's lease expired: its previous holder crashed, hung or lost
-- the database while running it. The engine parks a job that keeps doing so (worker_crashed)
-- instead of letting it take down one worker after another.
ALTER TABLE jobs ADD COLUMN expired_leases INTEGER NOT NULL DEFAULT 0;
