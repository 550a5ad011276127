import HMSSyncCore

extension AppRequestContext {
    /// The caller, if their token is valid and their role is one of `roles`: `UNAUTHENTICATED`
    /// (or `BLACKLISTED`) without a good token, `FORBIDDEN` for another role. Every protected
    /// route starts with this line, so its roles are declared where it is defined.
    func require(_ roles: Role...) throws(DomainError) -> Actor {
        guard let identity else {
            throw authFailure ?? DomainError(.unauthenticated, "a bearer access token is required")
        }
        guard roles.contains(identity.actor.role) else { throw DomainError.forbidden }
        return identity.actor
    }

    /// Any signed-in user.
    func requireUser() throws(DomainError) -> Actor {
        try require(.admin, .doctor, .patient)
    }
}
