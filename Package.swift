// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "provsync",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "provsync", targets: ["provsync"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
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
        .target(name: "ProvsyncModel"),
        .target(
            name: "ProvsyncManifests",
            dependencies: ["ProvsyncModel", "CLibGit2", "CYAML"]
        ),
        .target(name: "ProvsyncLive", dependencies: ["ProvsyncModel"]),
        .target(name: "ProvsyncPlanning", dependencies: ["ProvsyncModel"]),
        .target(name: "ProvsyncReporting", dependencies: ["ProvsyncModel"]),
        .target(name: "ProvsyncApplying", dependencies: ["ProvsyncModel", "ProvsyncLive", "ProvsyncPlanning"]),
        .target(
            name: "ProvsyncSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "provsync",
            dependencies: [
                "ProvsyncModel",
                "ProvsyncManifests",
                "ProvsyncLive",
                "ProvsyncApplying",
                "ProvsyncPlanning",
                "ProvsyncReporting",
                "ProvsyncSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "ProvsyncTestSupport", path: "Tests/ProvsyncTestSupport"),
        .target(
            name: "ProvsyncLiveTestSupport",
            dependencies: ["ProvsyncLive", "ProvsyncModel", "ProvsyncSandbox"],
            path: "Tests/ProvsyncLiveTestSupport"
        ),
        .testTarget(name: "ProvsyncModelTests", dependencies: ["ProvsyncModel"]),
        .testTarget(
            name: "ProvsyncManifestsTests",
            dependencies: ["ProvsyncManifests", "ProvsyncModel", "ProvsyncTestSupport"],
            resources: [.copy("Corpus")]
        ),
        .testTarget(name: "ProvsyncSandboxTests", dependencies: ["ProvsyncSandbox"]),
        .testTarget(
            name: "ProvsyncLiveTests",
            dependencies: ["ProvsyncLive", "ProvsyncModel", "ProvsyncSandbox", "ProvsyncLiveTestSupport",
                           "ProvsyncTestSupport"]
        ),
        .testTarget(
            name: "ProvsyncApplyingTests",
            dependencies: ["ProvsyncApplying", "ProvsyncPlanning", "ProvsyncLive", "ProvsyncModel",
                           "ProvsyncLiveTestSupport"]
        ),
        .testTarget(
            name: "ProvsyncPlanningTests",
            dependencies: ["ProvsyncPlanning", "ProvsyncReporting", "ProvsyncModel"]
        ),
        .testTarget(
            name: "ProvsyncCLITests",
            dependencies: ["provsync", "ProvsyncModel", "ProvsyncSandbox", "ProvsyncTestSupport"]
        ),
    ]
)
