using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Festa.Accounts;

/// <summary>
/// The users, in a JSON-lines file that every Festa node on the machine shares: sign up on one node, log in
/// on another. Appends take an exclusive lock on the file and re-check for the name under it, so sign-ups
/// (and the demo users several nodes seed at once) never duplicate a name. Reads re-parse the file only
/// when its length or modification time has changed since the last read.
/// </summary>
public sealed partial class UserDirectory : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Another node holds the lock only while it appends one line; waiting longer means something is wrong.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly ILogger<UserDirectory> _logger;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private Snapshot _snapshot = Snapshot.Empty;

    /// <summary>Opens (and creates the folder of) <see cref="FestaOptions.UsersFile"/>.</summary>
    public UserDirectory(IOptions<FestaOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<UserDirectory> logger)
    {
        _time = time;
        _logger = logger;
        FilePath = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Value.UsersFile)
            ? Path.Combine(environment.ContentRootPath, "App_Data", "users.jsonl")
            : options.Value.UsersFile);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        LogUsersFile(_logger, FilePath);
    }

    /// <summary>The full path of the users file.</summary>
    public string FilePath { get; }

    /// <summary>Finds a user by name (ordinal).</summary>
    public async ValueTask<UserRecord?> FindAsync(string username, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken);
        return snapshot.Users.GetValueOrDefault(username);
    }

    /// <summary>Appends <paramref name="user"/> unless the name is taken.</summary>
    /// <returns>False when a user of that name already exists (in this process or any other).</returns>
    public async ValueTask<bool> TryAddAsync(UserRecord user, CancellationToken cancellationToken)
    {
        await _appendGate.WaitAsync(cancellationToken);
        try
        {
            await using var stream = await OpenAsync(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, cancellationToken);
            var (users, parsedLength) = Parse(stream);
            if (users.ContainsKey(user.Username))
            {
                return false;
            }

            // A line without its newline is the remains of a crashed append: end it so ours stays whole.
            stream.Seek(0, SeekOrigin.End);
            if (stream.Length > parsedLength)
            {
                stream.WriteByte((byte)'\n');
            }

            stream.Write(JsonSerializer.SerializeToUtf8Bytes(user, Json));
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
            LogUserAdded(_logger, user.Username);
            return true;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _appendGate.Dispose();

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var info = new FileInfo(FilePath);
        if (!info.Exists)
        {
            return Snapshot.Empty;
        }

        var known = Volatile.Read(ref _snapshot);
        var lastWrite = info.LastWriteTimeUtc;
        if (info.Length == known.Length && lastWrite == known.LastWriteUtc)
        {
            return known;
        }

        try
        {
            await using var stream = await OpenAsync(FileMode.Open, FileAccess.Read, FileShare.ReadWrite, cancellationToken);
            var (users, parsedLength) = Parse(stream);

            // Recording what was parsed (not what was stat'ed) makes a concurrent append show up as a change next time.
            var fresh = new Snapshot(parsedLength, lastWrite, users);
            Volatile.Write(ref _snapshot, fresh);
            return fresh;
        }
        catch (FileNotFoundException)
        {
            return Snapshot.Empty;
        }
    }

    /// <summary>Parses every complete line from the start of <paramref name="stream"/>; returns the users and the bytes those lines span.</summary>
    private (Dictionary<string, UserRecord> Users, long Length) Parse(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);

        var users = new Dictionary<string, UserRecord>(StringComparer.Ordinal);
        var span = bytes.AsSpan();
        var offset = 0;
        var lineNumber = 0;
        while (offset < span.Length)
        {
            var end = span[offset..].IndexOf((byte)'\n');
            if (end < 0)
            {
                break; // an append in progress or a crashed one: not ours to read yet
            }

            lineNumber++;
            var line = span.Slice(offset, end);
            offset += end + 1;
            if (line.Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            UserRecord? user = null;
            try
            {
                user = JsonSerializer.Deserialize<UserRecord>(line, Json);
            }
            catch (JsonException)
            {
            }

            if (user is not { Username.Length: > 0, Salt.Length: > 0, Hash.Length: > 0, Iterations: > 0, Algorithm: not null })
            {
                LogBadLine(_logger, FilePath, lineNumber);
                continue;
            }

            // The first line for a name wins, as the append's check under the lock does.
            users.TryAdd(user.Username, user);
        }

        return (users, offset);
    }

    private async ValueTask<FileStream> OpenAsync(FileMode mode, FileAccess access, FileShare share, CancellationToken cancellationToken)
    {
        // .NET takes a non-blocking flock() for FileShare: exclusive for None, shared for readers. A node
        // that is appending makes the others' opens fail for a moment; retry them for a bounded time.
        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(FilePath, mode, access, share, bufferSize: 0);
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException
                                         && _time.GetElapsedTime(started) < LockTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20)), _time, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 1, EventName = "UsersFile", Level = LogLevel.Information, Message = "Users are kept in {Path}.")]
    private static partial void LogUsersFile(ILogger logger, string path);

    [LoggerMessage(EventId = 2, EventName = "UserAdded", Level = LogLevel.Information, Message = "User {Username} signed up.")]
    private static partial void LogUserAdded(ILogger logger, string username);

    [LoggerMessage(EventId = 3, EventName = "UsersFileBadLine", Level = LogLevel.Warning, Message = "Skipping line {LineNumber} of {Path}: not a user record.")]
    private static partial void LogBadLine(ILogger logger, string path, int lineNumber);

    private sealed record Snapshot(long Length, DateTime LastWriteUtc, IReadOnlyDictionary<string, UserRecord> Users)
    {
        public static Snapshot Empty { get; } = new(-1, default, new Dictionary<string, UserRecord>());
    }
}
