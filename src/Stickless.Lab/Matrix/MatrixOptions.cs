namespace Stickless.Lab.Matrix;

/// <summary>How each cell of the matrix runs.</summary>
internal sealed record MatrixOptions
{
    /// <summary>The time the whole matrix may take. Default 75 minutes.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(75);

    /// <summary>A cell's run when its fault is short (longer faults lengthen it). Default 20 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Virtual users per cell. Default 30.</summary>
    public int Users { get; init; } = 30;

    /// <summary>Festa nodes per cell. Default 3.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>The fraction of requests that write: more than the bench's 12 %, so that a lost write shows. Default 0.3.</summary>
    public double WriteFraction { get; init; } = 0.3;

    /// <summary>The seed of the users' choices. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The lab folder; null: the default.</summary>
    public string? LabDirectory { get; init; }
}
