-- Moderation with evidence (issue 28): a moderator's question to the owners of an organisation
-- waiting for verification, and their answer, kept in the moderation log with their text in
-- `reason`. See the SQLite migration of the same number for the why.
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check
    CHECK (action IN ('approve', 'reject', 'resubmit', 'close', 'take_over', 'question', 'answer'));
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_message_text
    CHECK (action NOT IN ('question', 'answer') OR reason IS NOT NULL);
