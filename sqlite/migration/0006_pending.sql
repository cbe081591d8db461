-- The days the daemon's detectors still have to look at: the time of the
-- oldest record stored since their last completed pass. It is written in
-- the same transaction as the records (CommitSource) or right after them
-- (a push), and cleared when a pass over it completes, so that a kill -9
-- between storing data and detecting over it loses no alert: the next
-- process's first pass starts there. seq tells a pass whether data came
-- in while it ran (then the mark stays for the next pass).
CREATE TABLE detect_pending (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	since INTEGER NOT NULL, -- unix seconds
	seq   INTEGER NOT NULL
);
