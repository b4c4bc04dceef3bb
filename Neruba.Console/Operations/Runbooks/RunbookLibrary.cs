using System.Collections.Frozen;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Neruba.Console.Operations.Runbooks;

/// <summary>A runbook: its slug (file name), title (its first heading), the Markdown source and the HTML the console shows.</summary>
public sealed record Runbook(string Slug, string Title, string Markdown, string Html)
{
    /// <summary>Every link target in the runbook, as written.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
}

/// <summary>
/// The runbooks shipped with the app (<c>docs/runbooks/*.md</c>, embedded in the console assembly), parsed once. Raw HTML in the Markdown is
/// shown as text, never rendered: a runbook is documentation, not a way to put script into the console.
/// </summary>
public sealed class RunbookLibrary
{
    private const string ResourcePrefix = "Neruba.Console.Runbooks.";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers().DisableHtml().Build();

    private readonly FrozenDictionary<string, Runbook> _bySlug;

    public RunbookLibrary()
    {
        var assembly = typeof(RunbookLibrary).Assembly;
        var runbooks = new Dictionary<string, Runbook>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var slug = name[ResourcePrefix.Length..^".md".Length];
            runbooks[slug] = Parse(slug, reader.ReadToEnd());
        }

        _bySlug = runbooks.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<Runbook> All => _bySlug.Values.OrderBy(r => r.Title, StringComparer.Ordinal).ToList();

    public Runbook? Find(string? slug) => slug is not null && _bySlug.TryGetValue(slug, out var runbook) ? runbook : null;

    public static Runbook Parse(string slug, string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var title = document.Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1)?.Inline?.FirstChild?.ToString() ?? slug;
        var links = document.Descendants<LinkInline>().Where(l => !l.IsImage && l.Url is not null).Select(l => l.Url!).ToList();
        return new Runbook(slug, title, markdown, document.ToHtml(Pipeline)) { Links = links };
    }
}
