using System.Buffers;
using System.Text;

namespace Stickless.Redis.Tests.Resp;

/// <summary>Builds buffers as a socket would deliver them: whole, or cut into segments at any point.</summary>
internal static class RespTestBuffers
{
    public static ReadOnlySequence<byte> Single(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>The bytes split into segments at <paramref name="cuts"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var bounds = cuts.Where(c => c > 0 && c < bytes.Length).Distinct().Order().Append(bytes.Length).ToArray();
        var first = new Segment(bytes.AsMemory(0, bounds[0]), 0);
        var last = first;
        for (var i = 1; i < bounds.Length; i++)
        {
            last = last.Append(bytes.AsMemory(bounds[i - 1], bounds[i] - bounds[i - 1]));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
