namespace Stickless.Lab.Network;

/// <summary>What a dropped chunk does to its connection (see <see cref="DirectionFaults.DropProbability"/>).</summary>
internal enum DropMode
{
    /// <summary>The connection is closed in both directions (FIN to both sides), as a middlebox that gives up on it would.</summary>
    Close,

    /// <summary>The chunk's bytes vanish and the connection goes on: the receiver sees a stream with a hole in it.</summary>
    Discard,
}
