using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Audit;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Tests.Support;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Tests.UseCases;

public class ProjectAndAuditTests
{
    [Theory]
    [InlineData("", "USD", "UTC", "0", "name")]
    [InlineData("P", "XXX", "UTC", "0", "defaultCurrency")]
    [InlineData("P", "USD", "Mars/Olympus", "0", "timeZone")]
    [InlineData("P", "USD", "UTC", "10.005", "creditApprovalThreshold")]
    [InlineData("P", "JPY", "UTC", "10.5", "creditApprovalThreshold")]
    [InlineData("P", "USD", "UTC", "-5", "creditApprovalThreshold")]
    [InlineData("P", "USD", "UTC", "99999999999999999999999", "creditApprovalThreshold")]
    public async Task Bad_project_settings_are_refused_naming_the_field_and_nothing_is_created(
        string name, string currency, string timeZone, string threshold, string field)
    {
        await using var harness = await UseCaseHarness.StartAsync();

        var result = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new(name, currency, timeZone, threshold));

        Assert.Equal(UseCaseStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(field), string.Join(", ", result.Errors.Keys));
        Assert.Equal(1, await harness.QueryAsync(db => db.Projects.CountAsync()));
    }

    [Fact]
    public async Task Creating_a_project_makes_the_creator_its_admin_and_audits_in_both_projects()
    {
        await using var harness = await UseCaseHarness.StartAsync();

        var result = await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Second", "KWD", "Asia/Kuwait", "12.345"));

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(12_345, result.Value!.CreditApprovalThreshold.Minor);
        var newId = result.Value.Id;
        Assert.True(await harness.QueryAsync(db => db.ProjectMemberships.AnyAsync(m => m.ProjectId == newId && m.UserId == harness.Admin.Id)));
        var audits = await harness.QueryAsync(db => db.AuditEntries.Where(a => a.Action == "project.created").Select(a => a.ProjectId).ToListAsync());
        Assert.Contains(harness.ProjectId, audits.Select(p => p!.Value));
        Assert.Contains(newId, audits.Select(p => p!.Value));
    }

    [Fact]
    public async Task Audit_records_cannot_be_changed_or_deleted()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        await harness.RunAsync<CreateProject, ProjectSettingsInput, ProjectView>(harness.Admin, new("Second", "USD", "UTC", "0"));

        var update = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.QueryAsync(async db =>
        {
            var entry = await db.AuditEntries.FirstAsync();
            db.Entry(entry).Property(nameof(AuditEntry.Reason)).CurrentValue = "rewritten";
            return await db.SaveChangesAsync();
        }));
        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.QueryAsync(async db =>
        {
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync());
            return await db.SaveChangesAsync();
        }));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal(2, await harness.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Reason == null)));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("+1+1", "\"'+1+1\"")]
    [InlineData("-1+1", "\"'-1+1\"")]
    [InlineData("@SUM(1)", "\"'@SUM(1)\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("＝1+1", "\"'＝1+1\"")]
    [InlineData("＋1", "\"'＋1\"")]
    [InlineData("－1", "\"'－1\"")]
    [InlineData("＠SUM(1)", "\"'＠SUM(1)\"")]
    [InlineData(";=1", "\";=1\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("plain, with comma", "\"plain, with comma\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("safe", "\"safe\"")]
    [InlineData("", "\"\"")]
    public void Csv_cells_are_always_quoted_and_never_start_a_formula(string value, string expected)
    {
        Assert.Equal(expected, AuditCsv.Cell(value));
    }

    [Fact]
    public void Every_cell_of_a_hostile_row_reads_back_as_the_text_it_was_whatever_the_list_separator()
    {
        string[] hostile = ["=HYPERLINK(\"http://evil\")", "-1+1", "@SUM(1)", "\t=1", ";=1", "a \"quote\"", "line\nbreak", "1,2", "1;2", "＝1"];

        var line = AuditCsv.AppendLine(new System.Text.StringBuilder(), hostile).ToString();

        foreach (var separator in new[] { ',', ';' })
        {
            var cells = Neruba.Infrastructure.Metering.BackfillFile.SplitCsv(line.TrimEnd('\r', '\n'), separator);
            Assert.Equal(separator == ',' ? hostile.Length : 1, cells.Count);
            Assert.All(cells, cell => Assert.DoesNotMatch("^[=+\\-@\\t\\r＝＋－＠]", cell));
        }
    }

    [Fact]
    public void The_csv_has_a_header_and_one_line_per_row()
    {
        var row = new AuditRow(Guid.NewGuid(), new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), ActorKind.User, "=cmd", "customer.created",
            AuditOutcome.Succeeded, "customer", "c1", null, "{\"name\":\"x\"}", null, "corr");

        var lines = AuditCsv.Write([row]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("\"at_utc\",\"actor_kind\",\"actor\",\"action\"", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("\"2026-11-24T12:00:00.000Z\",\"User\",\"'=cmd\",\"customer.created\"", lines[1], StringComparison.Ordinal);
    }
}
