// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "HMS",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "HMSSyncCore", targets: ["HMSSyncCore"]),
        .library(name: "HMSSyncCurl", targets: ["HMSSyncCurl"]),
        .library(name: "HMSSyncURLSession", targets: ["HMSSyncURLSession"]),
        .executable(name: "hms-server", targets: ["HMSServer"]),
        .executable(name: "hms-sync", targets: ["hms-sync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        // The core embeds in mobile apps: GRDB, swift-log, swift-crypto and Foundation only
        // (scripts/check-core-portability.sh keeps it so). Transports live beside it.
        .target(
            name: "HMSSyncCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "HMSSyncCurl", dependencies: ["HMSSyncCore", "CCurl"], swiftSettings: swiftSettings),
        .target(name: "HMSSyncURLSession", dependencies: ["HMSSyncCore"], swiftSettings: swiftSettings),
        // What hms-server and `hms-sync serve` both need to answer HTTP as the contract says: the
        // console's files and their CSP, security headers, JSON bodies and error answers.
        .target(
            name: "HMSWebSupport",
            dependencies: [
                "HMSSyncCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // `hms-sync serve`'s HTTP layer (docs/architecture.md says why it is a target of its own).
        .target(
            name: "HMSLocalServer",
            dependencies: [
                "HMSSyncCore",
                "HMSWebSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "HMSServer",
            dependencies: [
                "HMSSyncCore",
                "HMSWebSupport",
                "CCurl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hms-sync",
            dependencies: [
                "HMSSyncCore",
                "HMSSyncCurl",
                "HMSLocalServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HMSSyncCoreTests",
            dependencies: ["HMSSyncCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "hms-bench",
            dependencies: [
                "HMSSyncCore",
                "HMSTestSupport",
                "HMSSyncCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/hms-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HMSSyncTests",
            dependencies: [
                "HMSTestSupport",
                "HMSServer",
                "HMSSyncCore",
                "HMSSyncCurl",
                "HMSSyncURLSession",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Fixtures shared by the test targets and the benchmark. It cannot depend on HMSServer (an
        // executable's module does not link into a library): the in-process server fixture lives
        // in the test targets that import HMSServer.
        .target(
            name: "HMSTestSupport",
            dependencies: [
                "HMSSyncCore",
                "HMSSyncCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/HMSTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HMSSyncCLITests",
            dependencies: [
                "HMSSyncCore",
                "HMSTestSupport",
                "HMSSyncCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HMSServerTests",
            dependencies: [
                "HMSServer",
                "HMSWebSupport",
                "HMSTestSupport",
                "HMSSyncCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
