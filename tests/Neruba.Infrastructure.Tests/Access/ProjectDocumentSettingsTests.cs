using Microsoft.EntityFrameworkCore;
using Neruba.Infrastructure.Access.Projects;
using Neruba.Infrastructure.Tests.Support;

namespace Neruba.Infrastructure.Tests.Access;

/// <summary>The seller printed on documents and the correction-approval threshold: checked in words, saved, audited.</summary>
public class ProjectDocumentSettingsTests
{
    private static async Task<ProjectSettingsInput> CurrentAsync(UseCaseHarness harness)
    {
        var view = await harness.ValueAsync<GetProjectSettings, GetProjectSettings.Request, ProjectView>(new GetProjectSettings.Request());
        return new ProjectSettingsInput(view.Name, view.DefaultCurrency, view.TimeZone, view.CreditApprovalThreshold.ToInputString(), view.UsageGraceHours,
            view.CreditApprovalWindowHours, view.MaxCreditGrant.ToInputString());
    }

    [Theory]
    [InlineData("12.345", "USD has 2 decimal places")]
    [InlineData("-5", "cannot be negative")]
    [InlineData("", "Correction-approval threshold is required")]
    [InlineData("ten", "Correction-approval threshold")]
    public async Task A_bad_correction_threshold_is_refused_in_words_and_changes_nothing(string threshold, string words)
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var before = await harness.QueryAsync(db => db.Projects.AsNoTracking().SingleAsync());

        var result = await harness.RunAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(harness.Admin,
            await CurrentAsync(harness) with { CorrectionApprovalThreshold = threshold });

        Assert.False(result.Succeeded);
        Assert.Contains(words, Assert.Single(result.Errors["correctionApprovalThreshold"]), StringComparison.Ordinal);
        var after = await harness.QueryAsync(db => db.Projects.AsNoTracking().SingleAsync());
        Assert.Equal(before.CorrectionApprovalThresholdMinor, after.CorrectionApprovalThresholdMinor);
    }

    [Fact]
    public async Task The_seller_and_threshold_are_saved_trimmed_and_audited()
    {
        await using var harness = await UseCaseHarness.StartAsync();
        var seller = new SellerInput("  Neruba Labs GmbH ", "Hauptstraße 1\n10115 Berlin", "billing@neruba.example", "DE123456789");

        var view = await harness.ValueAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(
            await CurrentAsync(harness) with { CorrectionApprovalThreshold = "750.50", Seller = seller });

        Assert.Equal(new SellerView("Neruba Labs GmbH", "Hauptstraße 1\n10115 Berlin", "billing@neruba.example", "DE123456789"), view.Seller);
        Assert.Equal(75050, view.CorrectionApprovalThreshold.Minor);
        var project = await harness.QueryAsync(db => db.Projects.AsNoTracking().SingleAsync());
        Assert.Equal(("Neruba Labs GmbH", 75050L), (project.SellerName, project.CorrectionApprovalThresholdMinor));
        var audit = await harness.QueryAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "project.settings_changed"));
        Assert.Contains("DE123456789", audit.After, StringComparison.Ordinal);
        Assert.Contains("750.50 USD", audit.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_seller_email_or_overlong_address_is_refused_naming_the_field()
    {
        await using var harness = await UseCaseHarness.StartAsync();

        var result = await harness.RunAsync<UpdateProjectSettings, ProjectSettingsInput, ProjectView>(harness.Admin, await CurrentAsync(harness) with
        {
            Seller = new SellerInput("Neruba", new string('a', 501), "not-an-email", null),
        });

        Assert.Contains("at most 500 characters", Assert.Single(result.Errors["sellerAddress"]), StringComparison.Ordinal);
        Assert.Contains("is not an email address", Assert.Single(result.Errors["sellerEmail"]), StringComparison.Ordinal);
    }
}
