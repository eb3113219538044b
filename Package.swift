// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "provsync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "provsync", targets: ["provsync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "ProvsyncSupport", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ProvsyncModel", dependencies: ["ProvsyncSupport"]),
        .target(
            name: "ProvsyncManifests",
            dependencies: ["ProvsyncModel", "ProvsyncSupport", "CLibGit2", "CYAML"]
        ),
        .target(name: "ProvsyncLive", dependencies: ["ProvsyncModel", "ProvsyncSupport", "CCurl"]),
        .target(name: "ProvsyncPlanning", dependencies: ["ProvsyncModel", "ProvsyncSupport"]),
        .target(name: "ProvsyncReporting", dependencies: ["ProvsyncModel"]),
        .target(
            name: "ProvsyncApplying",
            dependencies: ["ProvsyncModel", "ProvsyncLive", "ProvsyncPlanning", "ProvsyncSupport"]
        ),
        .target(
            name: "ProvsyncSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ProvsyncEngine",
            dependencies: ["ProvsyncModel", "ProvsyncManifests", "ProvsyncLive", "ProvsyncPlanning",
                           "ProvsyncApplying", "ProvsyncSandbox", "ProvsyncSupport"]
        ),
        .executableTarget(
            name: "provsync",
            dependencies: [
                "CMalloc",
                "ProvsyncEngine",
                "ProvsyncModel",
                "ProvsyncManifests",
                "ProvsyncReporting",
                "ProvsyncSandbox",
                "ProvsyncSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "ProvsyncTestSupport", path: "Tests/ProvsyncTestSupport"),
        .target(
            name: "ProvsyncLiveTestSupport",
            dependencies: ["ProvsyncLive", "ProvsyncModel", "ProvsyncSandbox"],
            path: "Tests/ProvsyncLiveTestSupport"
        ),
        .testTarget(name: "ProvsyncSupportTests", dependencies: ["ProvsyncSupport"]),
        .testTarget(name: "ProvsyncModelTests", dependencies: ["ProvsyncModel"]),
        .testTarget(
            name: "ProvsyncManifestsTests",
            dependencies: ["ProvsyncManifests", "ProvsyncModel", "ProvsyncTestSupport"],
            resources: [.copy("Corpus")]
        ),
        .testTarget(name: "ProvsyncSandboxTests", dependencies: ["ProvsyncSandbox"]),
        .testTarget(
            name: "ProvsyncConformanceTests",
            dependencies: ["ProvsyncSandbox", "ProvsyncLive", "ProvsyncModel"],
            resources: [.copy("Recordings")]
        ),
        .testTarget(
            name: "ProvsyncLiveTests",
            dependencies: ["ProvsyncLive", "ProvsyncModel", "ProvsyncSandbox", "ProvsyncSupport",
                           "ProvsyncLiveTestSupport", "ProvsyncTestSupport"]
        ),
        .testTarget(
            name: "ProvsyncPlanningTests",
            dependencies: ["ProvsyncPlanning", "ProvsyncReporting", "ProvsyncModel"]
        ),
        .testTarget(
            name: "ProvsyncApplyingTests",
            dependencies: ["ProvsyncApplying", "ProvsyncPlanning", "ProvsyncLive", "ProvsyncModel", "ProvsyncSupport",
                           "ProvsyncLiveTestSupport"]
        ),
        .testTarget(
            name: "ProvsyncReportingTests",
            dependencies: ["ProvsyncReporting", "ProvsyncPlanning", "ProvsyncModel"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "ProvsyncEngineTests",
            dependencies: ["ProvsyncEngine", "ProvsyncModel", "ProvsyncManifests", "ProvsyncLive", "ProvsyncPlanning",
                           "ProvsyncReporting", "ProvsyncSandbox", "ProvsyncSupport", "ProvsyncLiveTestSupport",
                           "ProvsyncTestSupport"]
        ),
        .testTarget(
            name: "ProvsyncCLITests",
            dependencies: ["provsync", "ProvsyncModel", "ProvsyncSandbox", "ProvsyncLiveTestSupport", "ProvsyncTestSupport"]
        ),
    ]
)
