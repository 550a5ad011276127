/// The intents, push sequencing, no-show sweep and busy expiry run here as written once
/// (`IntentFlow`, `PushFlow`, `NoShowFlow`, `BusyFlow`), in `PostgresStore.transaction`s.
///
/// Several servers run them on one database at once. Each decision is made safe by what it
/// holds before it reads its facts:
/// - book, cancel, complete: the appointment id's advisory lock and row lock
///   (`lockAppointment`), so a booking's idempotent retries find the first one stored and a
///   status read is the one the update changes; the doctor's windows lock, shared by bookings
///   and exclusive for window changes (`lockWindowsForBooking`), so no booking lands in a window
///   being removed; and the exclusion constraints, so two bookings never overlap for one doctor
///   or one patient (`SLOT_TAKEN`, `PATIENT_BUSY`).
/// - push: the sync client's advisory lock (`lockSyncClient`), so one push at a time reads and
///   moves the client's `last_mutation_id`: each mutation id is applied exactly once.
/// - no-show sweep and busy expiry: the rows they work on, claimed `FOR UPDATE SKIP LOCKED`, so
///   two sweeps never do the same row; the penalty and email inserts `ON CONFLICT DO NOTHING`.
/// - every change: the changes lock, so change positions follow commit order (`PostgresChanges`).
///
/// One decision takes its locks in one order (client, appointment, windows, rows, changes). A push
/// of several mutations still holds the changes lock of one while it locks the next appointment,
/// so PostgreSQL can find a deadlock; it rolls one transaction back, and `PostgresStore` runs it
/// again.
extension PostgresStore: TransactionalStore {}
