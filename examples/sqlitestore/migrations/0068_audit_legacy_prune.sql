-- Rules N9, G7: the events of the one audit chain of the versions before
-- migration 0060, kept in audit_events_legacy, carry personal data
-- (principal, subject, case, object) like any other audit event, and are
-- kept the audit retention and no longer. Migration 0060 left them
-- append-only for ever, and its comment says access.Verify still checks
-- them: it does not, and no code read the table since. Now PruneAudit
-- (the retention sweep) deletes the table's leading run of events dated
-- before the audit retention's end, in the transaction that prunes the
-- chains, and counts them with the chains' events. The legacy chain is
-- not verified; its events go unverified, as they stayed.
--
-- The table stays append-only otherwise: no UPDATE, and a DELETE only of
-- its oldest event (an event may go only when no older one is left:
-- pruning from the front), never one in the middle. A statement that
-- deletes a leading run deletes in the order of the numbers (seq is the
-- rowid), so each event is the oldest left when it goes.

DROP TRIGGER audit_events_no_delete;

CREATE TRIGGER audit_legacy_front_only BEFORE DELETE ON audit_events_legacy
	WHEN EXISTS (SELECT 1 FROM audit_events_legacy l WHERE l.seq < OLD.seq)
BEGIN
	SELECT RAISE(ABORT, 'audit events are append-only');
END;
