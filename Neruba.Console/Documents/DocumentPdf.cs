using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Neruba.Console.Documents;

/// <summary>
/// Renders a <see cref="DocumentSheet"/> as an A4 PDF with PDFsharp: seller and customer blocks, the lines (continued on further pages
/// when they overflow, with the column headings repeated), the totals and a page count. The same sheet gives the same document: nothing reads
/// the clock (the PDF's dates are the document's issue time).
/// </summary>
public static class DocumentPdf
{
    private const double Margin = 50;
    private const double Bottom = 842 - 60;
    private const double RowGap = 3;

    // Column right edges (amount columns are right-aligned) and the description's width.
    private const double QuantityRight = 360;
    private const double PriceRight = 460;
    private const double AmountRight = 545;
    private const double DescriptionWidth = 240;

    public static byte[] Render(DocumentSheet sheet, DateTimeOffset issuedAt)
    {
        DocumentFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = $"{sheet.Title} {sheet.Number}";
        document.Info.Creator = "Neruba";
        document.Info.CreationDate = issuedAt.UtcDateTime;
        document.Info.ModificationDate = issuedAt.UtcDateTime;
        var writer = new PageWriter(document, sheet);
        writer.Header();
        writer.LinesTable();
        writer.TotalsBlock();
        writer.Footers();
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Draws top to bottom, starting a new page whenever the next row would not fit.</summary>
    private sealed class PageWriter(PdfDocument document, DocumentSheet sheet)
    {
        private readonly DocumentText _text = new();
        private XGraphics? _graphics;
        private double _y;

        private XGraphics Graphics => _graphics ?? throw new InvalidOperationException("No page started.");

        public void Header()
        {
            NewPage();
            var top = _y;
            var sellerBottom = Block(sheet.Seller, Margin, top, boldFirst: true);
            _text.Draw(Graphics, sheet.Title, 20, bold: true, new XRect(300, top - 4, AmountRight - 300, 26), XStringFormats.TopRight);
            _text.Draw(Graphics, sheet.Number, 12, bold: true, new XRect(300, top + 24, AmountRight - 300, 16), XStringFormats.TopRight);
            var factsTop = top + 44;
            if (sheet.Relation is { } relation)
            {
                _text.Draw(Graphics, relation, 9, bold: false, new XRect(260, factsTop, AmountRight - 260, 12), XStringFormats.TopRight);
                factsTop += 14;
            }

            foreach (var (label, value) in sheet.Facts)
            {
                _text.Draw(Graphics, label, 9, bold: false, new XRect(300, factsTop, 100, 12), XStringFormats.TopLeft);
                _text.Draw(Graphics, value, 9, bold: false, new XRect(380, factsTop, AmountRight - 380, 12), XStringFormats.TopRight);
                factsTop += 13;
            }

            _y = Math.Max(sellerBottom, factsTop) + 16;
            _text.Draw(Graphics, "Bill to", 9, bold: true, new XRect(Margin, _y, 200, 12), XStringFormats.TopLeft);
            _y = Block(sheet.Customer, Margin, _y + 14, boldFirst: false) + 18;
        }

        public void LinesTable()
        {
            ColumnHeadings();
            foreach (var line in sheet.Lines)
            {
                var wrapped = _text.Wrap(Graphics, line.Description, 9, DescriptionWidth);
                var height = wrapped.Count * 12 + RowGap;
                if (_y + height > Bottom)
                {
                    NewPage();
                    ColumnHeadings();
                }

                for (var i = 0; i < wrapped.Count; i++)
                {
                    _text.Draw(Graphics, wrapped[i], 9, bold: false, new XRect(Margin, _y + i * 12, DescriptionWidth, 12), XStringFormats.TopLeft);
                }

                Right(line.Quantity, QuantityRight, bold: false);
                Right(line.UnitPrice, PriceRight, bold: false);
                Right(line.Amount, AmountRight, bold: false);
                _y += height;
            }

            Graphics.DrawLine(XPens.Gray, Margin, _y + 2, AmountRight, _y + 2);
            _y += 10;
        }

        public void TotalsBlock()
        {
            // The totals and the tax note stay together on one page.
            if (_y + (sheet.Totals.Count + 2) * 15 > Bottom)
            {
                NewPage();
            }

            foreach (var total in sheet.Totals)
            {
                _text.Draw(Graphics, total.Label, 10, total.Strong, new XRect(300, _y, 140, 14), XStringFormats.TopLeft);
                Right(total.Amount, AmountRight, total.Strong, size: 10);
                _y += 15;
            }

            _y += 10;
            _text.Draw(Graphics, DocumentSheet.TaxNote, 9, bold: false, new XRect(Margin, _y, AmountRight - Margin, 12), XStringFormats.TopLeft);
        }

        /// <summary>"Page 1 of 2" and the number on every page, and the VOID mark across each page of a void document.</summary>
        public void Footers()
        {
            _graphics?.Dispose();
            _graphics = null;
            for (var i = 0; i < document.PageCount; i++)
            {
                using var graphics = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
                var footer = $"{sheet.Number} · page {i + 1} of {document.PageCount}";
                _text.Draw(graphics, footer, 8, bold: false, new XRect(Margin, 842 - 40, AmountRight - Margin, 10), XStringFormats.TopCenter);
                if (sheet.IsVoid)
                {
                    VoidMark(graphics);
                }
            }
        }

        private void VoidMark(XGraphics graphics)
        {
            var state = graphics.Save();
            graphics.RotateAtTransform(-35, new XPoint(297, 421));
            var red = new XSolidBrush(XColor.FromArgb(90, 200, 0, 0));
            _text.Draw(graphics, "VOID", 120, bold: true, new XRect(0, 350, 595, 140), XStringFormats.Center, red);
            graphics.Restore(state);
        }

        private void ColumnHeadings()
        {
            _text.Draw(Graphics, "Description", 9, bold: true, new XRect(Margin, _y, DescriptionWidth, 12), XStringFormats.TopLeft);
            Right("Quantity", QuantityRight, bold: true);
            Right("Unit price", PriceRight, bold: true);
            Right("Amount", AmountRight, bold: true);
            Graphics.DrawLine(XPens.Gray, Margin, _y + 14, AmountRight, _y + 14);
            _y += 18;
        }

        private void Right(string text, double right, bool bold, double size = 9) =>
            _text.Draw(Graphics, text, size, bold, new XRect(right - 120, _y, 120, size + 3), XStringFormats.TopRight);

        /// <summary>Lines of a party block; returns where the block ends.</summary>
        private double Block(IReadOnlyList<string> lines, double x, double top, bool boldFirst)
        {
            var y = top;
            for (var i = 0; i < lines.Count; i++)
            {
                var bold = boldFirst && i == 0;
                var size = bold ? 11 : 9;
                _text.Draw(Graphics, lines[i], size, bold, new XRect(x, y, 240, size + 3), XStringFormats.TopLeft);
                y += size + 4;
            }

            return y;
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromPoint(595);
            page.Height = XUnit.FromPoint(842);
            _graphics = XGraphics.FromPdfPage(page);
            _y = Margin;
        }
    }
}
