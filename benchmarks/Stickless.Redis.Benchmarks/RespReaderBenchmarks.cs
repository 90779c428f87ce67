using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Benchmarks;

/// <summary>Parsing replies the session store receives most: a hash read (HGETALL-like) and small scalars.</summary>
[MemoryDiagnoser]
public class RespReaderBenchmarks
{
    private ReadOnlySequence<byte> _hash;
    private ReadOnlySequence<byte> _ok;
    private ReadOnlySequence<byte> _integer;

    [GlobalSetup]
    public void Setup()
    {
        // 12 field/value pairs = 24 bulk strings: names like a session's attributes, values of 20–60 bytes.
        var wire = new StringBuilder("*24\r\n");
        for (var i = 0; i < 12; i++)
        {
            var field = $"attribute-{i}";
            var value = new string((char)('a' + i), 20 + (i * 4));
            wire.Append('$').Append(field.Length).Append("\r\n").Append(field).Append("\r\n");
            wire.Append('$').Append(value.Length).Append("\r\n").Append(value).Append("\r\n");
        }
        _hash = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire.ToString()));
        _ok = new ReadOnlySequence<byte>("+OK\r\n"u8.ToArray());
        _integer = new ReadOnlySequence<byte>(":1234567\r\n"u8.ToArray());
    }

    [Benchmark(Description = "HGETALL reply, 24 bulk strings")]
    public int ReadHash()
    {
        var reader = new RespReader(_hash);
        reader.TryRead(out var value);
        return value.Count;
    }

    [Benchmark(Description = "skip HGETALL reply (scan only)")]
    public bool SkipHash()
    {
        var reader = new RespReader(_hash);
        return reader.TrySkip();
    }

    [Benchmark(Description = "+OK")]
    public RespType ReadOk()
    {
        var reader = new RespReader(_ok);
        reader.TryRead(out var value);
        return value.Type;
    }

    [Benchmark(Description = ":integer")]
    public long ReadInteger()
    {
        var reader = new RespReader(_integer);
        reader.TryRead(out var value);
        return value.GetInt64();
    }
}
