using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Neruba.Infrastructure.Metering;

/// <summary>
/// The 63-bit key the dedup index holds instead of (project, event id) text: eight bytes per entry instead of about
/// fifty, so random UUIDv4 ids land in a small, cached index. Two different ids may share a key; the store then tries
/// the id's next probe, so the keys of one id form a fixed sequence, and a look-up follows it until it finds the id or
/// an unused key (rows are never deleted, so a gap means "not stored"). Rows stored before keys existed carry a
/// negative placeholder until <see cref="EventDedupKeyBackfill"/> gives them their key.
/// </summary>
internal static class EventDedupKeys
{
    /// <summary>Far beyond any real chain: eight ids sharing the first seven keys of a sequence is not going to happen.</summary>
    public const int MaxProbes = 8;

    public static long Of(Guid projectId, string eventId, int probe)
    {
        var length = 16 + 1 + Encoding.UTF8.GetMaxByteCount(eventId.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan();
            projectId.TryWriteBytes(buffer);
            buffer[16] = (byte)probe;
            var written = 17 + Encoding.UTF8.GetBytes(eventId, buffer[17..]);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer[..written], digest);
            return BinaryPrimitives.ReadInt64LittleEndian(digest) & long.MaxValue;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
