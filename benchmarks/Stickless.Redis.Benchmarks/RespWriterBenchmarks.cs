using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Benchmarks;

/// <summary>Writing the command the session store sends most: EVALSHA with 2 keys and 8 arguments.</summary>
[MemoryDiagnoser]
public class RespWriterBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly byte[] _span = new byte[4096];
    private ReadOnlyMemory<byte>[] _args = [];

    [GlobalSetup]
    public void Setup()
    {
        var args = new List<string> { "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "2", "st:s:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA", "st:exp" };
        for (var i = 0; i < 8; i++) { args.Add(i % 2 == 0 ? $"attribute-{i}" : new string('v', 48)); }
        _args = [.. args.Select(a => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(a))];
    }

    [Benchmark(Description = "EVALSHA 2 keys + 8 args → IBufferWriter")]
    public int WriteToBufferWriter()
    {
        _buffer.ResetWrittenCount();
        RespWriter.WriteCommand(_buffer, "EVALSHA", _args);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "EVALSHA 2 keys + 8 args → Span (Try)")]
    public int TryWriteToSpan()
    {
        RespWriter.TryWriteCommand(_span, "EVALSHA", _args, out var written);
        return written;
    }
}
