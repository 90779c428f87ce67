namespace Stickless.Lab.Workload;

/// <summary>How many virtual users, for how long, doing what.</summary>
internal sealed class WorkloadOptions
{
    /// <summary>Concurrent virtual users. Default 40.</summary>
    public int Users { get; init; } = 40;

    /// <summary>How long the measured part of the run lasts (sign-up and first sign-in come before). Default 20 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The fraction of requests that write (counter, wishlist add or remove). Default 0.12.</summary>
    public double WriteFraction { get; init; } = 0.12;

    /// <summary>How long one request may take before it counts as a timeout. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a sign-up or sign-in may take: longer than other requests, because Festa hashes
    /// passwords on purpose slowly (PBKDF2, 600,000 iterations by default). Default 30 s.
    /// </summary>
    public TimeSpan SignInTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a pooled connection lives before a new one is opened. Default 2 s.</summary>
    public TimeSpan ConnectionLifetime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a user waits after an error or a failed sign-in before going on. Default 50 ms.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The bound on sign-up and first sign-in of all users. Default 60 s.</summary>
    public TimeSpan WarmUpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Makes user names unique per run (<c>u{RunId}-{n}</c>). Default: random.</summary>
    public string RunId { get; init; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));

    /// <summary>The password every virtual user signs up with.</summary>
    public string Password { get; init; } = "bench-Password-1";

    /// <summary>The seed of the users' choices; the same seed gives the same sequence of operations per user. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>What the users do. Default <see cref="WorkloadKind.Mixed"/> (<see cref="Users"/> virtual users); the others run <see cref="Connections"/> connections.</summary>
    public WorkloadKind Kind { get; init; } = WorkloadKind.Mixed;

    /// <summary>Concurrent connections of the <see cref="WorkloadKind.Read"/>, <see cref="WorkloadKind.Write"/> and <see cref="WorkloadKind.Contended"/> workloads, each sending one request at a time. Default 32.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Sessions the <see cref="WorkloadKind.Write"/> workload spreads its requests over. Default 64.</summary>
    public int Sessions { get; init; } = 64;

    /// <summary>Lists every invalid setting.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Users is < 1 or > 10_000)
        {
            errors.Add("users must be between 1 and 10000");
        }

        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(1))
        {
            errors.Add("duration must be between 1 second and 1 hour");
        }

        if (WriteFraction is < 0 or > 1)
        {
            errors.Add("the write fraction must be between 0 and 1");
        }

        if (Connections is < 1 or > 1_000)
        {
            errors.Add("connections must be between 1 and 1000");
        }

        if (Sessions is < 1 or > 10_000)
        {
            errors.Add("sessions must be between 1 and 10000");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add("the request timeout must be positive");
        }

        return errors;
    }
}
