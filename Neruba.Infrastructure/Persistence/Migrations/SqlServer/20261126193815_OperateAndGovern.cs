using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OperateAndGovern : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing projects get the same readiness thresholds as a new one.
            migrationBuilder.AddColumn<int>(
                name: "Readiness_ApprovalAgeHours",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultApprovalAgeHours);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_DiskFreeMegabytes",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultDiskFreeMegabytes);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_FailedPaymentsRed",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultFailedPaymentsRed);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_FinalRunLateHours",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultFinalRunLateHours);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_IntegrityCheckAgeHours",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultIntegrityCheckAgeHours);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_LateEventsRed",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultLateEventsRed);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_ReconciliationAgeHours",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultReconciliationAgeHours);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_StuckRunMinutes",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultStuckRunMinutes);

            migrationBuilder.AddColumn<int>(
                name: "Readiness_WebhookSilenceHours",
                table: "Projects",
                type: "int",
                nullable: false,
                defaultValue: Neruba.Domain.Operations.ReadinessThresholds.DefaultWebhookSilenceHours);

            migrationBuilder.CreateTable(
                name: "CustomerNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    AuthorId = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    AuthorName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    ReplacesNoteId = table.Column<Guid>(type: "uniqueidentifier", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CustomerNotes_CustomerNotes_ReplacesNoteId",
                        column: x => x.ReplacesNoteId,
                        principalTable: "CustomerNotes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CustomerNotes_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CustomerNotes_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LedgerIntegrityChecks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ProjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Trigger = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    RequestedByName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    EntriesChecked = table.Column<int>(type: "int", nullable: false),
                    WalletsChecked = table.Column<int>(type: "int", nullable: false),
                    InvoicesChecked = table.Column<int>(type: "int", nullable: false),
                    ProblemCount = table.Column<int>(type: "int", nullable: false),
                    ProblemsJson = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Error = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerIntegrityChecks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LedgerIntegrityChecks_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerNotes_CustomerId",
                table: "CustomerNotes",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerNotes_ProjectId_CustomerId_CreatedAt",
                table: "CustomerNotes",
                columns: new[] { "ProjectId", "CustomerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerNotes_ReplacesNoteId",
                table: "CustomerNotes",
                column: "ReplacesNoteId",
                unique: true,
                filter: "\"ReplacesNoteId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerIntegrityChecks_ProjectId_StartedAt",
                table: "LedgerIntegrityChecks",
                columns: new[] { "ProjectId", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomerNotes");

            migrationBuilder.DropTable(
                name: "LedgerIntegrityChecks");

            migrationBuilder.DropColumn(
                name: "Readiness_ApprovalAgeHours",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_DiskFreeMegabytes",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_FailedPaymentsRed",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_FinalRunLateHours",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_IntegrityCheckAgeHours",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_LateEventsRed",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_ReconciliationAgeHours",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_StuckRunMinutes",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Readiness_WebhookSilenceHours",
                table: "Projects");
        }
    }
}
