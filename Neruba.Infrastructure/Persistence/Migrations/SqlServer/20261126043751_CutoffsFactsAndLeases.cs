using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CutoffsFactsAndLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_Late",
                table: "UsageEvents");

            migrationBuilder.DropColumn(
                name: "IsLate",
                table: "UsageEvents");

            migrationBuilder.DropColumn(
                name: "Done",
                table: "BillingRuns");

            migrationBuilder.DropColumn(
                name: "Failed",
                table: "BillingRuns");

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "PlanVersions",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseExpiresAt",
                table: "BillingRuns",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "BillingRuns",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LeaseExpiresAt",
                table: "BackfillImports",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "BackfillImports",
                type: "nvarchar(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UsageCutoffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PeriodStart = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    EventWatermark = table.Column<long>(type: "bigint", nullable: false),
                    RunId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageCutoffs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_CustomerId_PeriodStart",
                table: "UsageEvents",
                columns: new[] { "CustomerId", "PeriodStart" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageCutoffs_CustomerId_PeriodStart",
                table: "UsageCutoffs",
                columns: new[] { "CustomerId", "PeriodStart" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UsageCutoffs_ProjectId_PeriodStart",
                table: "UsageCutoffs",
                columns: new[] { "ProjectId", "PeriodStart" });

            // Versions carry their name from now on: existing ones keep the plan's name as it is today.
            migrationBuilder.Sql("UPDATE [v] SET [Name] = [p].[Name] FROM [PlanVersions] AS [v] JOIN [Plans] AS [p] ON [p].[Id] = [v].[PlanId];");

            // Months already invoiced get their cutoff: the watermark of the run that finalized the customer's first invoice of the month.
            migrationBuilder.Sql("""
                INSERT INTO [UsageCutoffs] ([ProjectId], [CustomerId], [PeriodStart], [EventWatermark], [RunId], [CreatedAt])
                SELECT [ProjectId], [CustomerId], [PeriodStart], [EventWatermark], [RunId], [FinalizedAt]
                FROM (SELECT [i].[ProjectId], [i].[CustomerId], [i].[PeriodStart], [r].[EventWatermark], [i].[RunId], [i].[FinalizedAt],
                             ROW_NUMBER() OVER (PARTITION BY [i].[CustomerId], [i].[PeriodStart] ORDER BY [i].[Sequence]) AS [n]
                      FROM [Invoices] AS [i] JOIN [BillingRuns] AS [r] ON [r].[Id] = [i].[RunId]) AS [first]
                WHERE [n] = 1;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageCutoffs");

            migrationBuilder.DropIndex(
                name: "IX_UsageEvents_CustomerId_PeriodStart",
                table: "UsageEvents");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "PlanVersions");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "BillingRuns");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "BillingRuns");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresAt",
                table: "BackfillImports");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "BackfillImports");

            migrationBuilder.AddColumn<bool>(
                name: "IsLate",
                table: "UsageEvents",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Done",
                table: "BillingRuns",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Failed",
                table: "BillingRuns",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_Late",
                table: "UsageEvents",
                columns: new[] { "ProjectId", "PeriodStart" },
                filter: "[IsLate] = 1");
        }
    }
}
