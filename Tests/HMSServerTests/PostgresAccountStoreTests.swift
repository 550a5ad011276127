import Foundation
import HMSSyncCore
import Synchronization
import Testing

@testable import HMSServer

/// The account, token and audit stores, each scenario on both backends with the same
/// expectations: PostgreSQL answers what SQLite answers (errors, messages, outcomes).
@Suite("Account and audit stores: PostgreSQL answers as SQLite does")
struct PostgresAccountStoreTests {
    static let t0 = Date(epochSeconds: 1_800_000_000)
    static let duplicate = DomainError(
        .duplicate, "an account with that email already exists", details: ["field": .string("email")])

    @Test("createUser refuses an email taken in another case or normalization form", arguments: AccountBackend.allCases)
    func createAndDuplicate(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let ana = try await store.createUser(AccountStores.newUser("u1", name: "Ana", email: "Ana@Example.test"), now: Self.t0)
            #expect(ana.id == "u1" && ana.email == "Ana@Example.test" && ana.role == .patient)
            #expect(!ana.disabled && !ana.blacklisted && ana.tokensRevokedAt == nil && ana.passwordHash == "hash-u1")
            let otherCase = await AccountStores.error {
                _ = try await store.createUser(AccountStores.newUser("u2", email: "aNA@example.TEST"), now: Self.t0)
            }
            #expect(otherCase as? DomainError == Self.duplicate)
            #expect(try await store.user(id: "u2") == nil)
            // composed on one side, decomposed on the other
            _ = try await store.createUser(AccountStores.newUser("u3", email: "zo\u{EB}@clinic.test"), now: Self.t0)
            let decomposed = await AccountStores.error {
                _ = try await store.createUser(AccountStores.newUser("u4", email: "ZOE\u{308}@clinic.test"), now: Self.t0)
            }
            #expect(decomposed as? DomainError == Self.duplicate)

            #expect(await AccountStores.error { try await store.checkEmailFree("ANA@EXAMPLE.TEST") } as? DomainError == Self.duplicate)
            #expect(await AccountStores.error { try await store.checkEmailFree("new@clinic.test") } == nil)
            #expect(try await store.user(email: "ana@example.test")?.id == "u1")
            #expect(try await store.user(email: "Zoe\u{308}@CLINIC.test")?.id == "u3")
            #expect(try await store.user(email: "nobody@clinic.test") == nil)
            #expect(try await store.user(email: "ana\u{0}@example.test") == nil)
            #expect(try await store.user(email: String(repeating: "a", count: 400) + "@clinic.test") == nil)
            let doctor = try await store.createUser(
                AccountStores.newUser("d1", name: "Dr Who", role: .doctor, specialty: "Cardiology"), now: Self.t0)
            #expect(doctor.role == .doctor && doctor.specialty == "Cardiology")
        }
    }

    @Test("of many registrations of one email at once exactly one wins", arguments: AccountBackend.allCases)
    func concurrentDuplicates(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let results = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for index in 0..<16 {
                    let email = index.isMultiple(of: 2) ? "Same@Clinic.test" : "same@clinic.TEST"
                    group.addTask {
                        do {
                            return .success(try await store.createUser(AccountStores.newUser("c\(index)", email: email), now: Self.t0).id)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = results.compactMap { try? $0.get() }
            let refusals = results.compactMap { result -> DomainError? in
                if case .failure(let error) = result { error as? DomainError } else { nil }
            }
            #expect(winners.count == 1)
            #expect(refusals.count == 15 && refusals.allSatisfy { $0 == Self.duplicate })
            let stored = try await store.user(email: "SAME@clinic.test")
            #expect(stored?.id == winners.first)
        }
    }

    @Test("seedAdmin creates the admin once and hashes no password when it exists", arguments: AccountBackend.allCases)
    func seedAdminOnce(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let hashes = CallCount()
            let hash: @Sendable () -> String = {
                hashes.add()
                return "admin-hash"
            }
            #expect(try await store.seedAdmin(email: "Admin@Clinic.test", name: "Admin", passwordHash: hash, now: Self.t0))
            #expect(try await !store.seedAdmin(email: "admin@CLINIC.test", name: "Admin", passwordHash: hash, now: Self.t0))
            #expect(hashes.value == 1)
            let admin = try #require(try await store.user(email: "ADMIN@clinic.test"))
            #expect(admin.role == .admin && admin.email == "Admin@Clinic.test" && admin.passwordHash == "admin-hash")

            // two servers starting together
            async let first = store.seedAdmin(email: "root@clinic.test", name: "Root", passwordHash: hash, now: Self.t0)
            async let second = store.seedAdmin(email: "ROOT@clinic.test", name: "Root", passwordHash: hash, now: Self.t0)
            #expect(try await [first, second].filter { $0 }.count == 1)
        }
    }

    @Test("blacklisting and disabling revoke every family and refuse new ones; a password change keeps the caller's",
          arguments: AccountBackend.allCases)
    func standing(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let t0 = Self.t0
            let later = t0 + 60
            let expiry = t0 + 3_600
            _ = try await store.createUser(AccountStores.newUser("d1", role: .doctor, specialty: "Cardiology"), now: t0)
            _ = try await store.createUser(AccountStores.newUser("p1"), now: t0)
            let notDoctor = await AccountStores.error { _ = try await store.setBlacklisted(doctorId: "p1", true, now: t0) }
            #expect(notDoctor as? DomainError == .notFound("doctor"))
            let unknown = await AccountStores.error { _ = try await store.setBlacklisted(doctorId: "nobody", true, now: t0) }
            #expect(unknown as? DomainError == .notFound("doctor"))

            let family = try await store.startFamily(userId: "d1", refreshHash: "d1-r1", expiresAt: expiry, now: t0)
            let blacklisted = try await store.setBlacklisted(doctorId: "d1", true, now: later)
            #expect(blacklisted.blacklisted && blacklisted.tokensRevokedAt == later.epochSeconds)
            #expect(try await store.session(userId: "d1", familyId: family)?.live == false)
            let login = await AccountStores.error {
                _ = try await store.startFamily(userId: "d1", refreshHash: "d1-r2", expiresAt: expiry, now: later)
            }
            #expect(login as? DomainError == DomainError(.blacklisted, "this doctor is blacklisted"))
            // the standing is checked before the token
            let refresh = try await store.rotate(
                refreshHash: "d1-r1", successorHash: "d1-r3", expiresAt: expiry, grace: 30, sessionMaxAge: 86_400, now: later)
            #expect(AccountStores.refusal(refresh) == DomainError(.blacklisted, "this doctor is blacklisted"))
            // idempotent: the cut-off stays where it was
            #expect(try await store.setBlacklisted(doctorId: "d1", true, now: later + 60).tokensRevokedAt == later.epochSeconds)
            let cleared = try await store.setBlacklisted(doctorId: "d1", false, now: later + 120)
            #expect(!cleared.blacklisted && cleared.tokensRevokedAt == nil)
            #expect(try await store.session(userId: "d1", familyId: family)?.live == false)
            let fresh = try await store.startFamily(userId: "d1", refreshHash: "d1-r4", expiresAt: expiry, now: later + 120)
            #expect(try await store.session(userId: "d1", familyId: fresh)?.live == true)

            let missing = await AccountStores.error { _ = try await store.setDisabled(userId: "nobody", true, now: later) }
            #expect(missing as? DomainError == .notFound("user"))
            let first = try await store.startFamily(userId: "p1", refreshHash: "p1-a", expiresAt: expiry, now: t0)
            let second = try await store.startFamily(userId: "p1", refreshHash: "p1-b", expiresAt: expiry, now: t0)
            #expect(try await store.setDisabled(userId: "p1", true, now: later).disabled)
            #expect(try await store.session(userId: "p1", familyId: first)?.live == false)
            #expect(try await store.session(userId: "p1", familyId: second)?.live == false)
            let disabledLogin = await AccountStores.error {
                _ = try await store.startFamily(userId: "p1", refreshHash: "p1-c", expiresAt: expiry, now: later)
            }
            #expect(disabledLogin as? DomainError == DomainError(.disabled, "this account is disabled"))
            #expect(try await store.setDisabled(userId: "p1", true, now: later + 60).disabled)
            #expect(try await !store.setDisabled(userId: "p1", false, now: later + 120).disabled)
            // enabling brings no old token back
            #expect(try await store.session(userId: "p1", familyId: first)?.live == false)

            let mine = try await store.startFamily(userId: "p1", refreshHash: "p1-d", expiresAt: expiry, now: later + 120)
            let theirs = try await store.startFamily(userId: "p1", refreshHash: "p1-e", expiresAt: expiry, now: later + 120)
            try await store.changePassword(userId: "p1", passwordHash: "new-hash", keeping: mine, now: later + 180)
            #expect(try await store.user(id: "p1")?.passwordHash == "new-hash")
            #expect(try await store.session(userId: "p1", familyId: mine)?.live == true)
            #expect(try await store.session(userId: "p1", familyId: theirs)?.live == false)
        }
    }

    @Test("refresh rotation: a replay in the grace window replaces the successor, reuse after it revokes the family",
          arguments: AccountBackend.allCases)
    func rotation(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let t0 = Self.t0
            _ = try await store.createUser(AccountStores.newUser("p1"), now: t0)
            @Sendable func rotate(_ hash: String, _ successor: String, at seconds: TimeInterval, grace: Int = 30, maxAge: Int = 86_400)
                async throws -> RefreshOutcome
            {
                try await store.rotate(
                    refreshHash: hash, successorHash: successor, expiresAt: t0 + 3_600, grace: grace, sessionMaxAge: maxAge,
                    now: t0 + seconds)
            }
            let replaced = DomainError(.unauthenticated, "the refresh token was replaced by a later one")
            let used = DomainError(.unauthenticated, "the refresh token was already used")
            let expired = DomainError(.unauthenticated, "the refresh token has expired or was revoked")

            let family = try await store.startFamily(userId: "p1", refreshHash: "r0", expiresAt: t0 + 3_600, now: t0)
            let session = try #require(try await store.session(userId: "p1", familyId: family))
            #expect(session.user.id == "p1" && session.live && session.startedAt == t0)
            let noFamily = try #require(try await store.session(userId: "p1", familyId: "no-such-family"))
            #expect(!noFamily.live && noFamily.startedAt == nil)
            #expect(try await store.session(userId: "nobody", familyId: family) == nil)

            guard case .issued(let user, let familyId) = try await rotate("r0", "r1", at: 10) else {
                Issue.record("the first refresh was refused")
                return
            }
            #expect(user.id == "p1" && familyId == family)
            #expect(AccountStores.refusal(try await rotate("r0", "r2", at: 20)) == nil)  // a retry inside the grace window
            #expect(AccountStores.refusal(try await rotate("r1", "r3", at: 21)) == replaced)
            #expect(AccountStores.refusal(try await rotate("r2", "r4", at: 22)) == nil)
            #expect(AccountStores.refusal(try await rotate("r0", "r5", at: 40)) == used)  // 30 s after its rotation
            #expect(try await store.session(userId: "p1", familyId: family)?.live == false)
            #expect(AccountStores.refusal(try await rotate("r4", "r6", at: 41)) == expired)
            #expect(AccountStores.refusal(try await rotate("unknown", "r7", at: 41))
                == DomainError(.unauthenticated, "the refresh token is not valid"))

            // with no grace, a retry is a reuse
            _ = try await store.startFamily(userId: "p1", refreshHash: "g0", expiresAt: t0 + 3_600, now: t0)
            #expect(AccountStores.refusal(try await rotate("g0", "g1", at: 10, grace: 0)) == nil)
            #expect(AccountStores.refusal(try await rotate("g0", "g2", at: 10, grace: 0)) == used)

            // the token's expiry, the session's age, and a successor capped at the session's end
            _ = try await store.startFamily(userId: "p1", refreshHash: "e0", expiresAt: t0 + 100, now: t0)
            #expect(AccountStores.refusal(try await rotate("e0", "e1", at: 100)) == expired)
            #expect(AccountStores.refusal(try await rotate("e0", "e1", at: 60, maxAge: 60)) == expired)
            #expect(AccountStores.refusal(try await rotate("e0", "e1", at: 50, maxAge: 60)) == nil)
            #expect(AccountStores.refusal(try await rotate("e1", "e2", at: 60, maxAge: 3_600)) == expired)

            // logout
            let loggedIn = try await store.startFamily(userId: "p1", refreshHash: "l0", expiresAt: t0 + 3_600, now: t0)
            try await store.revokeFamily(refreshHash: "l0", now: t0 + 5)
            try await store.revokeFamily(refreshHash: "unknown", now: t0 + 5)
            #expect(try await store.session(userId: "p1", familyId: loggedIn)?.live == false)
            #expect(AccountStores.refusal(try await rotate("l0", "l1", at: 6)) == expired)
        }
    }

    @Test("concurrent refreshes of one token leave one live chain", arguments: AccountBackend.allCases)
    func concurrentRotations(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let t0 = Self.t0
            _ = try await store.createUser(AccountStores.newUser("p1"), now: t0)
            @Sendable func rotateAll(_ hash: String, grace: Int) async throws -> [RefreshOutcome] {
                try await withThrowingTaskGroup(of: RefreshOutcome.self) { group in
                    for index in 0..<12 {
                        group.addTask {
                            try await store.rotate(
                                refreshHash: hash, successorHash: "\(hash)-\(index)", expiresAt: t0 + 3_600, grace: grace,
                                sessionMaxAge: 86_400, now: t0 + 10)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }

            _ = try await store.startFamily(userId: "p1", refreshHash: "c0", expiresAt: t0 + 3_600, now: t0)
            let retries = try await rotateAll("c0", grace: 30)
            #expect(retries.allSatisfy { AccountStores.refusal($0) == nil })
            // each issue replaced the one before, so exactly one successor still refreshes
            var live: [Int] = []
            for index in 0..<12 {
                let outcome = try await store.rotate(
                    refreshHash: "c0-\(index)", successorHash: "next-\(index)", expiresAt: t0 + 3_600, grace: 30,
                    sessionMaxAge: 86_400, now: t0 + 11)
                if AccountStores.refusal(outcome) == nil { live.append(index) }
            }
            #expect(live.count == 1)

            // without grace one refresh wins, and the replays revoke the family
            let family = try await store.startFamily(userId: "p1", refreshHash: "z0", expiresAt: t0 + 3_600, now: t0)
            let reuses = try await rotateAll("z0", grace: 0)
            #expect(reuses.filter { AccountStores.refusal($0) == nil }.count == 1)
            // the first replay finds the token spent and revokes the family; later ones find it revoked
            let refusals = reuses.compactMap(AccountStores.refusal)
            #expect(refusals.first { $0.message == "the refresh token was already used" } != nil)
            #expect(refusals.allSatisfy {
                $0 == DomainError(.unauthenticated, "the refresh token was already used")
                    || $0 == DomainError(.unauthenticated, "the refresh token has expired or was revoked")
            })
            #expect(try await store.session(userId: "p1", familyId: family)?.live == false)
        }
    }

    @Test("audit rows page newest first, by time then by the order written", arguments: AccountBackend.allCases)
    func auditPaging(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let times: [Int64] = [100, 200, 200, 300, 50, 200, 300]
            let entries = times.enumerated().map { index, at in
                AuditEntry(
                    id: "e\(index)", at: Date(epochSeconds: at), actorId: index.isMultiple(of: 2) ? "a1" : "a2",
                    actorRole: "admin", action: "GET /v1/x", entity: "user", entityId: nil,
                    patientId: index < 3 ? "p1" : nil, outcome: "success", requestId: "r\(index)", clientIp: "127.0.0.1")
            }
            try await store.append(Array(entries[..<3]))
            try await store.append([])
            try await store.append(Array(entries[3...]))

            let newestFirst = entries.enumerated().sorted { ($0.element.at, $0.offset) > ($1.element.at, $1.offset) }
                .map(\.element)
            #expect(try await Self.auditPages(store, AuditFilter(), limit: 2).flatMap { $0 } == newestFirst)
            #expect(try await Self.auditPages(store, AuditFilter(), limit: 50) == [newestFirst])

            let window = AuditFilter(from: Date(epochSeconds: 200), to: Date(epochSeconds: 300))
            #expect(try await Self.auditPages(store, window, limit: 2).flatMap { $0 }.map(\.id) == ["e5", "e2", "e1"])
            let actor = AuditFilter(actorId: "a2")
            #expect(try await Self.auditPages(store, actor, limit: 1).flatMap { $0 }.map(\.id) == ["e3", "e5", "e1"])
            let patient = AuditFilter(patientId: "p1")
            #expect(try await Self.auditPages(store, patient, limit: 2).flatMap { $0 }.map(\.id) == ["e2", "e1", "e0"])

            let badCursor = await AccountStores.error {
                _ = try await store.auditEntries(AuditFilter(), after: ListCursor(key: .int(200), id: "x"), limit: 10)
            }
            #expect(badCursor as? DomainError == .validation(field: "cursor", "cursor is not one this server gave out"))
        }
    }

    /// Every page of the audit list, each cursor made as the admin controller makes it.
    static func auditPages(_ store: any AuditStore, _ filter: AuditFilter, limit: Int) async throws -> [[AuditEntry]] {
        var pages: [[AuditEntry]] = []
        var cursor: ListCursor?
        while true {
            let rows = try await store.auditEntries(filter, after: cursor, limit: limit)
            if !rows.isEmpty { pages.append(rows.map(\.entry)) }
            guard rows.count == limit, let last = rows.last else { return pages }
            cursor = ListCursor(key: .int(last.entry.at.epochSeconds), id: String(last.seq))
        }
    }

    @Test("a write appends its request's audit row in its own transaction; a refused write and append() don't",
          arguments: AccountBackend.allCases)
    func auditedWrites(backend: AccountBackend) async throws {
        try await AccountStores.with(backend) { store in
            let t0 = Self.t0
            let explicit = AuditEntry(
                id: "explicit", at: t0, actorId: nil, actorRole: nil, action: "POST /v1/auth/login", entity: "session",
                entityId: nil, patientId: nil, outcome: "INVALID_CREDENTIALS", requestId: "r0", clientIp: "127.0.0.1")
            try await AuditTrail.$current.withValue(AccountStores.trail(action: "POST /v1/auth/register")) {
                _ = try await store.createUser(AccountStores.newUser("p1"), now: t0)
                _ = await AccountStores.error {
                    _ = try await store.createUser(AccountStores.newUser("p2", email: "P1@clinic.test"), now: t0)
                }
                try await store.append([explicit])
            }
            _ = try await store.startFamily(userId: "p1", refreshHash: "r0", expiresAt: t0 + 3_600, now: t0)
            _ = try await store.rotate(
                refreshHash: "r0", successorHash: "r1", expiresAt: t0 + 3_600, grace: 0, sessionMaxAge: 86_400, now: t0 + 1)
            // a reuse is refused, yet its revocation commits with the request's row
            let reuse = try await AuditTrail.$current.withValue(AccountStores.trail(action: "POST /v1/auth/refresh")) {
                try await store.rotate(
                    refreshHash: "r0", successorHash: "r2", expiresAt: t0 + 3_600, grace: 0, sessionMaxAge: 86_400, now: t0 + 2)
            }
            #expect(AccountStores.refusal(reuse)?.code == .unauthenticated)

            let rows = try await store.auditEntries(AuditFilter(), after: nil, limit: 10).map(\.entry)
            #expect(rows.count == 3)
            let register = try #require(rows.first { $0.action == "POST /v1/auth/register" })
            #expect(register.actorId == "p1" && register.actorRole == "patient" && register.entityId == "p1")
            #expect(register.patientId == "p1" && register.outcome == "success" && register.requestId == "req-POST /v1/auth/register")
            #expect(rows.contains(explicit))
            let refresh = try #require(rows.first { $0.action == "POST /v1/auth/refresh" })
            #expect(refresh.outcome == "UNAUTHENTICATED")
            let r1 = try await store.rotate(
                refreshHash: "r1", successorHash: "r3", expiresAt: t0 + 3_600, grace: 0, sessionMaxAge: 86_400, now: t0 + 3)
            #expect(AccountStores.refusal(r1) == DomainError(.unauthenticated, "the refresh token has expired or was revoked"))
        }
    }
}

/// Counts calls from any thread.
private final class CallCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}
