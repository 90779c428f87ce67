namespace Stickless.Lab.Matrix;

/// <summary><c>matrix.json</c>.</summary>
internal sealed record MatrixResult
{
    /// <summary>When the matrix started (UTC).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>How long the whole matrix took, in seconds.</summary>
    public double WallSeconds { get; init; }

    /// <summary>The time it was allowed, in seconds.</summary>
    public double BudgetSeconds { get; init; }

    /// <summary>Virtual users per cell.</summary>
    public int Users { get; init; }

    /// <summary>The fraction of requests that write.</summary>
    public double WriteFraction { get; init; }

    /// <summary>Every cell, in the order run.</summary>
    public IReadOnlyList<MatrixEntry> Cells { get; init; } = [];

    /// <summary>Cells whose promise broke.</summary>
    public int Broken => Cells.Count(static c => c.Promise?.Kept == false);

    /// <summary>Cells that did not run.</summary>
    public int NotRun => Cells.Count(static c => c.NotRun is not null);
}
