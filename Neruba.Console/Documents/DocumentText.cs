using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Neruba.Console.Documents;

/// <summary>
/// Text on a PDF page. Latin text is written with the WinAnsi encoding, so the document's words stay readable (searchable, copyable, checkable
/// in tests) in the content stream; anything else (a customer named in Greek or Japanese) falls back to the Unicode encoding of the same font.
/// </summary>
internal sealed class DocumentText
{
    private readonly Dictionary<(double Size, bool Bold, bool Unicode), XFont> _fonts = [];

    public void Draw(XGraphics graphics, string text, double size, bool bold, XRect box, XStringFormat format, XBrush? brush = null)
    {
        if (text.Length > 0)
        {
            graphics.DrawString(text, Font(text, size, bold), brush ?? XBrushes.Black, box, format);
        }
    }

    /// <summary>Breaks a text into lines no wider than <paramref name="width"/>, at spaces where it can, inside a long word where it must.</summary>
    public List<string> Wrap(XGraphics graphics, string text, double size, double width)
    {
        var font = Font(text, size, bold: false);
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (graphics.MeasureString(candidate, font).Width <= width)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (current.Length > 1 && graphics.MeasureString(current, font).Width > width)
            {
                var fits = current.Length - 1;
                while (fits > 1 && graphics.MeasureString(current[..fits], font).Width > width)
                {
                    fits--;
                }

                lines.Add(current[..fits]);
                current = current[fits..];
            }
        }

        lines.Add(current);
        return lines;
    }

    private XFont Font(string text, double size, bool bold)
    {
        var unicode = !text.All(IsLatin);
        if (!_fonts.TryGetValue((size, bold, unicode), out var font))
        {
            var options = new XPdfFontOptions(unicode ? PdfFontEncoding.Unicode : PdfFontEncoding.WinAnsi);
            font = new XFont(DocumentFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, options);
            _fonts[(size, bold, unicode)] = font;
        }

        return font;
    }

    // Printable ASCII and Latin-1: the characters WinAnsi encodes exactly as Unicode does.
    private static bool IsLatin(char c) => c is (>= ' ' and <= '~') or (>= '\u00a0' and <= '\u00ff');
}
