using Stickless.Lab.Chaos;
using Stickless.Lab.Deployment.Redis;
using Xunit;

namespace Stickless.Lab.Tests.Chaos;

/// <summary>The kill-lagging-master fault's registration and its pure parts (no process).</summary>
public sealed class KillLaggingMasterFaultTests
{
    [Fact]
    public void TryCreate_KillLaggingMaster_IsRegistered()
    {
        Assert.Contains(KillLaggingMasterFault.FaultName, FaultRegistry.Names);
        Assert.True(FaultRegistry.TryCreate("kill-lagging-master", out var fault));
        Assert.IsType<KillLaggingMasterFault>(fault);
        Assert.Equal("kill-lagging-master", fault.Name);
    }

    [Fact]
    public void Constructor_NoLag_UsesOneAndAHalfSeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(1.5), new KillLaggingMasterFault().Lag);

    [Fact]
    public void Constructor_NonPositiveLag_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new KillLaggingMasterFault(TimeSpan.Zero));

    [Fact]
    public void ReplicaPortsIn_InfoReplication_ListsEachReplicaPort()
    {
        var info = RedisInfo.Parse(
            "# Replication\r\nrole:master\r\nconnected_slaves:2\r\nmin_slaves_good_slaves:2\r\n"
            + "slave0:ip=127.0.0.1,port=41002,state=online,offset=1234,lag=0\r\n"
            + "slave1:ip=127.0.0.1,port=41001,state=online,offset=1234,lag=1\r\n"
            + "master_repl_offset:1234\r\n");

        Assert.Equal([41001, 41002], KillLaggingMasterFault.ReplicaPortsIn(info));
    }
}
