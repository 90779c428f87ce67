using System.Globalization;
using Stickless.Lab.Bench;

namespace Stickless.Lab.Report;

/// <summary>The one line per run a person reads to choose a strategy: what happened, and why.</summary>
internal static class RunNarrative
{
    private static readonly Dictionary<string, string> Mechanisms = new(StringComparer.Ordinal)
    {
        ["local"] = "each node keeps sessions in its own memory and HAProxy round-robins, so most requests land on a node that never saw the sign-in",
        ["sticky"] = "HAProxy pins each user to one node with a cookie, so every request finds its session in that node's memory — as long as that node lives",
        ["redis"] = "every node loads and commits sessions in the same Redis, so any node can serve any request",
        ["redis-ha"] = "every node keeps sessions in a Redis master with two replicas (asynchronous replication), found through three sentinels that promote a replica when the master dies",
        ["redis-ha-wait"] = "every node keeps sessions in a Redis master with two replicas, found through three sentinels, and each commit waits until a replica holds it (WAIT 1)",
        ["redis-ha-no-min-replicas"] = "every node keeps sessions in a Redis master with two replicas, found through three sentinels, without min-replicas-to-write: a master cut off from its replicas keeps acknowledging writes",
        ["redis-cluster"] = "sessions are spread over a Redis Cluster of three masters with a replica each; a dead master's replica takes over its slots",
        ["memcached"] = "sessions live on a memcached ring shared by every node",
        ["replication"] = "nodes copy each session to their peers",
        ["all-to-all"] = "every node holds a copy of every session; the session's owner orders each write and copies it to every other node before answering, so any node reads locally",
        ["primary-backup"] = "each session lives on its owner and one backup; a request on another node asks the owner in one round trip, and the owner copies each write to the backup before answering",
        ["primary-backup-owner"] = "each session lives on its owner and one backup, and HAProxy routes by a cookie naming the owner, so requests rarely need the extra hop",
        ["all-to-all-owner"] = "every node holds every session, and HAProxy routes by a cookie naming the owner, so writes rarely need forwarding",
        ["primary-backup-async"] = "each session lives on its owner and one backup, copied after the commit answers (asynchronous)",
        ["primary-backup-proxied"] = "primary-backup with peer traffic through the lab's fault proxies, which partition-peers cuts; both sides keep serving",
        ["all-to-all-proxied"] = "all-to-all with peer traffic through the lab's fault proxies, which partition-peers cuts; both sides keep serving",
        ["primary-backup-quorum"] = "primary-backup through the lab's fault proxies where only a majority of the nodes serves",
    };

    /// <summary>A label for a run: <c>sticky</c>, <c>sticky + kill-node</c>, <c>redis [aof-always] + restart-store</c> (see <see cref="RunLabel"/>).</summary>
    public static string Label(RunResult run) =>
        RunLabel.Of(run.Strategy, run.Persistence, run.StoreLinksProxied == true && run.Fault is null, run.Fault, run.FaultSettings, run.NearCache == true, run.SessionFree == true);

    /// <summary>True when the run lost nothing: no session, no update, no stale read, no wrong user.</summary>
    public static bool IsClean(RunResult run) =>
        run.SessionsLost == 0 && run.LostUpdates == 0 && run.StaleReads == 0 && run.WrongUser == 0;

    /// <summary>A short verdict: "kept every session" or "lost 1,234 sessions".</summary>
    public static string Verdict(RunResult run)
    {
        if (run.WrongUser > 0)
        {
            return $"showed another user's session {Count(run.WrongUser)} times";
        }

        if (IsClean(run))
        {
            return "lost nothing";
        }

        var parts = new List<string>();
        if (run.SessionsLost > 0)
        {
            parts.Add($"{Count(run.SessionsLost)} sessions lost");
        }

        if (run.LostUpdates > 0)
        {
            parts.Add($"{Count(run.LostUpdates)} updates lost");
        }

        if (run.StaleReads > 0)
        {
            parts.Add($"{Count(run.StaleReads)} stale reads");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The sentence explaining the run.</summary>
    public static string Explain(RunResult run)
    {
        var mechanism = Mechanisms.TryGetValue(run.Strategy, out var text) ? text : "a session strategy plugged into the lab";
        var figures = string.Create(
            CultureInfo.InvariantCulture,
            $"{run.Rps:#,0} req/s, p99 {run.P99Ms:0.#} ms, {Count(run.Errors)} errors");

        if (run.Fault is null)
        {
            var outcome = run.SessionsLost > 0
                ? $"{Count(run.SessionsLost)} times a signed-in user was answered as anonymous (about one request in {OneIn(run.Requests, run.SessionsLost)}), and each time had to sign in again — a deliberately slow password check, which is what drags its throughput and latency down"
                : "no signed-in user was ever answered as anonymous";
            var updates = run.LostUpdates == 0 && run.StaleReads == 0
                ? "and no write was lost or read stale"
                : $"{Count(run.LostUpdates)} acknowledged writes were lost and {Count(run.StaleReads)} reads were stale";
            return $"{Capitalize(mechanism)}: {outcome}, {updates}. {figures}.";
        }

        var hit = run.FaultDetail ?? $"{run.Fault} struck {run.FaultTarget}";
        var at = run.FaultAtSeconds is { } seconds ? string.Create(CultureInfo.InvariantCulture, $" at {seconds:0.#} s") : string.Empty;
        var share = run.FaultDetail is null && run.UsersOnFaultTarget is { } users && run.SignedInUsersAtFault is { } signedIn
            ? $" ({users} of {signedIn} signed-in users were on it)"
            : string.Empty;
        var repeated = run.SessionsLost > run.UsersLosingSessions
            ? $" ({Count(run.SessionsLost)} losses in all: a user whose new sign-in lands before HAProxy marks the node down can lose it again)"
            : string.Empty;
        var cost = IsClean(run)
            ? "no session and no update was lost"
            : $"{run.UsersLosingSessions} users lost their session{repeated}, {Count(run.LostUpdates)} updates were lost and {Count(run.StaleReads)} reads were stale";
        var unavailable = run.UnavailableSeconds == 0 ? "the service stayed available" : $"{run.UnavailableSeconds} s unavailable";
        if (run.ResumedAfterSeconds is { } resumed)
        {
            unavailable += string.Create(CultureInfo.InvariantCulture, $", every user was served again {resumed:0.0#} s after the fault");
        }

        return $"{Capitalize(mechanism)}. The fault{at}: {hit}{share}; {cost}; {unavailable}.{During(run)} {figures}.";
    }

    /// <summary>For a lasting fault: what the requests made while it held went through; empty otherwise.</summary>
    private static string During(RunResult run)
    {
        if (run.FaultHeldSeconds is not { } held || run.RequestsDuringFault is not { } requests)
        {
            return string.Empty;
        }

        var errors = run.ErrorsDuringFault ?? 0;
        var text = string.Create(CultureInfo.InvariantCulture,
            $" While it held ({held:0.0#} s): {Count(requests)} requests that need the session, {Count(errors)} errors");
        if (run.ErrorsNotServedDuringFault is > 0 and var notServed)
        {
            text += $" ({Count(notServed)} of them not answered by a node: HAProxy had no healthy server, or the request timed out)";
        }

        text += string.Create(CultureInfo.InvariantCulture, $", p99 {run.P99DuringFaultMs:#,0.#} ms");
        if (run.LongestNodeFailureMs is > 0 and var longest)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", the slowest fail-closed answer {longest:#,0} ms")
                + (run.LongestNodeFailureOperation is { } operation ? $" ({operation})" : string.Empty);
        }

        return text + ".";
    }

    private static string OneIn(long requests, long events) =>
        events == 0 ? "∞" : Math.Max(1, (long)Math.Round(requests / (double)events)).ToString("#,0", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
