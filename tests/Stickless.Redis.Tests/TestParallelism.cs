// The integration suites here mostly wait: on real servers' expiry (the conformance suites' idle and absolute
// timeouts), on failovers and on probes. xUnit runs as many test classes at once as the machine has cores (2 here),
// which left the CPU idle for minutes; more classes at once overlap those waits. Each class starts its own servers on
// its own ports, so they do not share state. Classes that must not overlap share a [Collection].
[assembly: CollectionBehavior(MaxParallelThreads = 6)]
