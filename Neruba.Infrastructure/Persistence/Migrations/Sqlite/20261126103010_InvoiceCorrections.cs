using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InvoiceCorrections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CorrectionApprovalThresholdMinor",
                table: "Projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "SellerAddress",
                table: "Projects",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SellerEmail",
                table: "Projects",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SellerName",
                table: "Projects",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SellerTaxId",
                table: "Projects",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "CorrectsInvoiceId",
                table: "Invoices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CreditedToDue",
                table: "Invoices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "CreditedTotal",
                table: "Invoices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Invoices",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Regular");

            migrationBuilder.AddColumn<long>(
                name: "PaidTotal",
                table: "Invoices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RefundedTotal",
                table: "Invoices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<Guid>(
                name: "ReplacedByInvoiceId",
                table: "Invoices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RerunId",
                table: "Invoices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "Invoices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "VoidReason",
                table: "Invoices",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "VoidedAt",
                table: "Invoices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VoidedByName",
                table: "Invoices",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WrittenOffTotal",
                table: "Invoices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "CreditNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    IssueKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Total = table.Column<long>(type: "INTEGER", nullable: false),
                    ToDue = table.Column<long>(type: "INTEGER", nullable: false),
                    Refunded = table.Column<long>(type: "INTEGER", nullable: false),
                    ToWallet = table.Column<long>(type: "INTEGER", nullable: false),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Lines = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    IssuedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ApprovedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WalletBlockId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RerunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    VoidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VoidedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    VoidReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CreditNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CreditNotes_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CreditNotes_Invoices_InvoiceId",
                        column: x => x.InvoiceId,
                        principalTable: "Invoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LateUsageClearances",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CustomerId = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PeriodStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Watermark = table.Column<long>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LateUsageClearances", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Payments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InvoiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RecordedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EntryId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Payments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Payments_Invoices_InvoiceId",
                        column: x => x.InvoiceId,
                        principalTable: "Invoices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RerunCommits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PeriodStart = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                    ProposedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ProposedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ProposedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    NeedsApproval = table.Column<bool>(type: "INTEGER", nullable: false),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionComment = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Effect = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    JobId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RerunCommits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RerunCommits_BillingRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "BillingRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RerunCommitItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Difference = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SupplementalInvoiceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreditNotes = table.Column<int>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RerunCommitItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RerunCommitItems_RerunCommits_CommitId",
                        column: x => x.CommitId,
                        principalTable: "RerunCommits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CreditNotes_CustomerId",
                table: "CreditNotes",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_CreditNotes_InvoiceId",
                table: "CreditNotes",
                column: "InvoiceId");

            migrationBuilder.CreateIndex(
                name: "IX_CreditNotes_ProjectId_CustomerId",
                table: "CreditNotes",
                columns: new[] { "ProjectId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_CreditNotes_ProjectId_IssueKey",
                table: "CreditNotes",
                columns: new[] { "ProjectId", "IssueKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CreditNotes_ProjectId_Sequence",
                table: "CreditNotes",
                columns: new[] { "ProjectId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LateUsageClearances_CustomerId_PeriodStart_Watermark",
                table: "LateUsageClearances",
                columns: new[] { "CustomerId", "PeriodStart", "Watermark" });

            migrationBuilder.CreateIndex(
                name: "IX_LateUsageClearances_ProjectId_PeriodStart",
                table: "LateUsageClearances",
                columns: new[] { "ProjectId", "PeriodStart" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_InvoiceId_Reference",
                table: "Payments",
                columns: new[] { "InvoiceId", "Reference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Payments_ProjectId_CustomerId",
                table: "Payments",
                columns: new[] { "ProjectId", "CustomerId" });

            migrationBuilder.CreateIndex(
                name: "IX_RerunCommitItems_CommitId_Status_Position",
                table: "RerunCommitItems",
                columns: new[] { "CommitId", "Status", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_RerunCommitItems_CommitId_SubscriptionId",
                table: "RerunCommitItems",
                columns: new[] { "CommitId", "SubscriptionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RerunCommits_ProjectId_Status",
                table: "RerunCommits",
                columns: new[] { "ProjectId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_RerunCommits_RunId",
                table: "RerunCommits",
                column: "RunId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CreditNotes");

            migrationBuilder.DropTable(
                name: "LateUsageClearances");

            migrationBuilder.DropTable(
                name: "Payments");

            migrationBuilder.DropTable(
                name: "RerunCommitItems");

            migrationBuilder.DropTable(
                name: "RerunCommits");

            migrationBuilder.DropColumn(
                name: "CorrectionApprovalThresholdMinor",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SellerAddress",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SellerEmail",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SellerName",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "SellerTaxId",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "CorrectsInvoiceId",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "CreditedToDue",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "CreditedTotal",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "PaidTotal",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "RefundedTotal",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "ReplacedByInvoiceId",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "RerunId",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "VoidReason",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "VoidedAt",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "VoidedByName",
                table: "Invoices");

            migrationBuilder.DropColumn(
                name: "WrittenOffTotal",
                table: "Invoices");
        }
    }
}
