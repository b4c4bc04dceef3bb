using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Neruba.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ConsolePageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Invoices_ProjectId_AmountDue",
                table: "Invoices",
                columns: new[] { "ProjectId", "AmountDue" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_ProjectId_CorrectsInvoiceId",
                table: "Invoices",
                columns: new[] { "ProjectId", "CorrectsInvoiceId" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_ProjectId_FinalizedAt",
                table: "Invoices",
                columns: new[] { "ProjectId", "FinalizedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_ProjectId_Status_Sequence",
                table: "Invoices",
                columns: new[] { "ProjectId", "Status", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_Invoices_ProjectId_Subtotal",
                table: "Invoices",
                columns: new[] { "ProjectId", "Subtotal" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ProjectId_ActorName_At",
                table: "AuditEntries",
                columns: new[] { "ProjectId", "ActorName", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ProjectId_Outcome_At",
                table: "AuditEntries",
                columns: new[] { "ProjectId", "Outcome", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ProjectId_TargetType_TargetId_At",
                table: "AuditEntries",
                columns: new[] { "ProjectId", "TargetType", "TargetId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Invoices_ProjectId_AmountDue",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_ProjectId_CorrectsInvoiceId",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_ProjectId_FinalizedAt",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_ProjectId_Status_Sequence",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_Invoices_ProjectId_Subtotal",
                table: "Invoices");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ProjectId_ActorName_At",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ProjectId_Outcome_At",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ProjectId_TargetType_TargetId_At",
                table: "AuditEntries");
        }
    }
}
