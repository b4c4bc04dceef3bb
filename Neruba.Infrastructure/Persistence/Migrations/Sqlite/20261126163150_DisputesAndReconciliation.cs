using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DisputesAndReconciliation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Disputes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StripeDisputeId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ChargeId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    PaymentIntentId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PaymentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EvidenceDueBy = table.Column<long>(type: "INTEGER", nullable: true),
                    IsChargeRefundable = table.Column<bool>(type: "INTEGER", nullable: false),
                    StripeCreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HeldTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    FeeTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    CloseEntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EvidenceDraft = table.Column<string>(type: "TEXT", maxLength: 60000, nullable: false),
                    DraftSavedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DraftSavedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    StagedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SubmittedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AcceptRequestedById = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AcceptRequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AcceptRequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Disputes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Disputes_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WindowStart = table.Column<long>(type: "INTEGER", nullable: false),
                    WindowEnd = table.Column<long>(type: "INTEGER", nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PagesRead = table.Column<int>(type: "INTEGER", nullable: false),
                    TransactionsSeen = table.Column<int>(type: "INTEGER", nullable: false),
                    Matched = table.Column<int>(type: "INTEGER", nullable: false),
                    MismatchesOpened = table.Column<int>(type: "INTEGER", nullable: false),
                    MismatchesStillOpen = table.Column<int>(type: "INTEGER", nullable: false),
                    MismatchesClosed = table.Column<int>(type: "INTEGER", nullable: false),
                    PayoutsPosted = table.Column<int>(type: "INTEGER", nullable: false),
                    CategorySummary = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    JobId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationRuns_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DisputeFiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EvidenceField = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StripeFileId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeFiles_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DisputeNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DisputeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeNotes_Disputes_DisputeId",
                        column: x => x.DisputeId,
                        principalTable: "Disputes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationMismatches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    SourceId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    BalanceTransactionId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    ReportingCategory = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    StripeAmount = table.Column<long>(type: "INTEGER", nullable: true),
                    LedgerAmount = table.Column<long>(type: "INTEGER", nullable: true),
                    StripeFee = table.Column<long>(type: "INTEGER", nullable: true),
                    LedgerFee = table.Column<long>(type: "INTEGER", nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StripeSide = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    LedgerSide = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    SuggestedAction = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OpenKey = table.Column<string>(type: "TEXT", maxLength: 287, nullable: true),
                    FirstRunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LastRunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ApprovalRequestedById = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ApprovalRequestedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ApprovalRequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProposedReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ResolvedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ResolutionNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationMismatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationMismatches_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReconciliationMismatches_ReconciliationRuns_FirstRunId",
                        column: x => x.FirstRunId,
                        principalTable: "ReconciliationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeFiles_DisputeId",
                table: "DisputeFiles",
                column: "DisputeId");

            migrationBuilder.CreateIndex(
                name: "IX_DisputeNotes_DisputeId",
                table: "DisputeNotes",
                column: "DisputeId");

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_ProjectId_ChargeId",
                table: "Disputes",
                columns: new[] { "ProjectId", "ChargeId" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_ProjectId_CustomerId",
                table: "Disputes",
                columns: new[] { "ProjectId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_ProjectId_Status_EvidenceDueBy",
                table: "Disputes",
                columns: new[] { "ProjectId", "Status", "EvidenceDueBy" });

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_ProjectId_StripeDisputeId",
                table: "Disputes",
                columns: new[] { "ProjectId", "StripeDisputeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationMismatches_FirstRunId",
                table: "ReconciliationMismatches",
                column: "FirstRunId");

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationMismatches_ProjectId_OpenKey",
                table: "ReconciliationMismatches",
                columns: new[] { "ProjectId", "OpenKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationMismatches_ProjectId_SourceId",
                table: "ReconciliationMismatches",
                columns: new[] { "ProjectId", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationMismatches_ProjectId_Status_OccurredAt",
                table: "ReconciliationMismatches",
                columns: new[] { "ProjectId", "Status", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationRuns_ProjectId_CreatedAt",
                table: "ReconciliationRuns",
                columns: new[] { "ProjectId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationRuns_ProjectId_Status",
                table: "ReconciliationRuns",
                columns: new[] { "ProjectId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisputeFiles");

            migrationBuilder.DropTable(
                name: "DisputeNotes");

            migrationBuilder.DropTable(
                name: "ReconciliationMismatches");

            migrationBuilder.DropTable(
                name: "Disputes");

            migrationBuilder.DropTable(
                name: "ReconciliationRuns");
        }
    }
}
