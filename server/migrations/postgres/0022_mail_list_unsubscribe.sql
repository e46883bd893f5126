-- Alert mails carry the address that unsubscribes in one click (RFC 8058: List-Unsubscribe
-- and List-Unsubscribe-Post), so that mail programs offer « se désabonner » themselves. The
-- outbox keeps it with the mail it belongs to; other mails have none.
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe TEXT;
