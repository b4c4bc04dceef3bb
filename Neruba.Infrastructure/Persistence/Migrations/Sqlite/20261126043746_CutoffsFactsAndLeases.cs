using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresAt",
                table: "BillingRuns",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "BillingRuns",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresAt",
                table: "BackfillImports",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "BackfillImports",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UsageCutoffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProjectId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CustomerId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PeriodStart = table.Column<long>(type: "INTEGER", nullable: false),
                    EventWatermark = table.Column<long>(type: "INTEGER", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
            migrationBuilder.Sql("""UPDATE "PlanVersions" SET "Name" = (SELECT "Name" FROM "Plans" WHERE "Plans"."Id" = "PlanVersions"."PlanId");""");

            // Months already invoiced get their cutoff: the watermark of the run that finalized the customer's first invoice of the month.
            // Invoices keep ids as text, cutoffs as the 16 bytes of Guid.ToByteArray (first three groups little-endian), like usage events.
            migrationBuilder.Sql("""
                INSERT INTO "UsageCutoffs" ("ProjectId", "CustomerId", "PeriodStart", "EventWatermark", "RunId", "CreatedAt")
                SELECT unhex(substr(p, 7, 2) || substr(p, 5, 2) || substr(p, 3, 2) || substr(p, 1, 2) || substr(p, 12, 2) || substr(p, 10, 2)
                             || substr(p, 17, 2) || substr(p, 15, 2) || substr(p, 20, 4) || substr(p, 25, 12)),
                       unhex(substr(c, 7, 2) || substr(c, 5, 2) || substr(c, 3, 2) || substr(c, 1, 2) || substr(c, 12, 2) || substr(c, 10, 2)
                             || substr(c, 17, 2) || substr(c, 15, 2) || substr(c, 20, 4) || substr(c, 25, 12)),
                       "PeriodStart", "EventWatermark", "RunId", "FinalizedAt"
                FROM (SELECT upper(i."ProjectId") AS p, upper(i."CustomerId") AS c, i."PeriodStart", r."EventWatermark", i."RunId", i."FinalizedAt",
                             ROW_NUMBER() OVER (PARTITION BY i."CustomerId", i."PeriodStart" ORDER BY i."Sequence") AS n
                      FROM "Invoices" AS i JOIN "BillingRuns" AS r ON r."Id" = i."RunId")
                WHERE n = 1;
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
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Done",
                table: "BillingRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Failed",
                table: "BillingRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_UsageEvents_Late",
                table: "UsageEvents",
                columns: new[] { "ProjectId", "PeriodStart" },
                filter: "\"IsLate\" = 1");
        }
    }
}
