using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Neruba.Console.Documents;

/// <summary>
/// DejaVu Sans, shipped inside this assembly: a clean Linux server has no fonts PDFsharp could find, and a document must print the same
/// wherever it is rendered. The licence is beside the files (Documents/Fonts/LICENSE-DejaVu.txt).
/// </summary>
public sealed class DocumentFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly DocumentFonts Instance = new();
    private static readonly Lock Gate = new();
    private static bool _installed;

    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    /// <summary>
    /// Installs the resolver once per process. PDFsharp's setting is global and may only ever hold one resolver, so every caller gets this one.
    /// </summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                GlobalFontSettings.FontResolver = Instance;
                _installed = true;
            }
        }
    }

    // Every family resolves to DejaVu Sans; italic is simulated by PDFsharp (documents use none).
    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new(bold ? Bold : Regular, false, italic);

    public byte[] GetFont(string faceName) => _faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        var resource = $"Neruba.Console.Documents.Fonts.{faceName}.ttf";
        using var stream = typeof(DocumentFonts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font {resource} is not embedded in the console.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
