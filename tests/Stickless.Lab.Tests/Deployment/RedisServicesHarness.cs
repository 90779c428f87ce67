using Stickless.Lab.Deployment;
using Stickless.Lab.Processes;

namespace Stickless.Lab.Tests.Deployment;

/// <summary>
/// Starts a strategy's servers (no Festa, no HAProxy) in a private lab folder, as <see cref="LabDeployment"/> would,
/// and stops them by pid at the end: the Redis strategies' processes tested on their own.
/// </summary>
internal sealed class RedisServicesHarness : IAsyncDisposable
{
    private readonly ProcessSupervisor supervisor;

    private RedisServicesHarness(string labDirectory, StrategyContext context, ProcessSupervisor supervisor)
    {
        LabDirectory = labDirectory;
        Context = context;
        this.supervisor = supervisor;
    }

    public string LabDirectory { get; }

    public StrategyContext Context { get; }

    public IReadOnlyList<LabService> Services => Context.Services;

    public LabTestLog Log { get; } = new();

    /// <summary>Every pid file record written so far (read before disposal, to check afterwards that each process is gone).</summary>
    public IReadOnlyList<PidFileRecord> Records => LabLeftovers.Records(LabDirectory);

    public static async Task<RedisServicesHarness> StartAsync(ILabStrategy strategy, CancellationToken cancellationToken, RedisPersistence? persistence = null)
    {
        var labDirectory = Directory.CreateTempSubdirectory("stickless-redis-services-").FullName;
        var runDirectory = Path.Combine(labDirectory, "run", strategy.Name);
        Directory.CreateDirectory(Path.Combine(runDirectory, "logs"));
        var tools = await Prerequisites.EnsureAsync(strategy.RequiredTools, new LabTestLog(), cancellationToken);
        var supervisor = new ProcessSupervisor(Path.Combine(labDirectory, "pids"), strategy.Name);
        var harness = new RedisServicesHarness(labDirectory, new StrategyContext(runDirectory, new LabTestLog(), new PortAllocator(), [], tools, supervisor) { Persistence = persistence }, supervisor);
        try
        {
            harness.Context.Services = await strategy.StartServicesAsync(harness.Context, cancellationToken);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await supervisor.DisposeAsync();
        try
        {
            Directory.Delete(LabDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
