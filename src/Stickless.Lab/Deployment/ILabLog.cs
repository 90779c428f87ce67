namespace Stickless.Lab.Deployment;

/// <summary>Where the lab says what it is doing: the console for commands, a buffer in tests.</summary>
internal interface ILabLog
{
    /// <summary>A step or a fact worth a line.</summary>
    void Info(string message);

    /// <summary>Something went wrong but the lab goes on.</summary>
    void Warn(string message);
}
