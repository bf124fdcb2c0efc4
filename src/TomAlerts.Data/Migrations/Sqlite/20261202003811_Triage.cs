using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Triage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Band",
                table: "RunAlerts",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClassificationsJson",
                table: "RunAlerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DetailsFetched",
                table: "RunAlerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Detections",
                table: "RunAlerts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstDetection",
                table: "RunAlerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastDetection",
                table: "RunAlerts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RunAlertKeys",
                columns: table => new
                {
                    QueryRunId = table.Column<long>(type: "INTEGER", nullable: false),
                    AlertId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunAlertKeys", x => new { x.QueryRunId, x.AlertId, x.Key });
                    table.ForeignKey(
                        name: "FK_RunAlertKeys_QueryRuns_QueryRunId",
                        column: x => x.QueryRunId,
                        principalTable: "QueryRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TriageDecisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Broker = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    AlertId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TriageDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TriageDecisions_AspNetUsers_DecidedBy",
                        column: x => x.DecidedBy,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TriageDecisions_Broker_AlertId",
                table: "TriageDecisions",
                columns: new[] { "Broker", "AlertId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TriageDecisions_DecidedBy",
                table: "TriageDecisions",
                column: "DecidedBy");

            // Alerts stored before this migration: their names' fuzzy keys (TOM's lower case without spaces, dashes,
            // underscores and parentheses), so "not yet a target" and the target sort hold for old runs too. New alerts also
            // get the TNS and LSST forms of their names when stored.
            migrationBuilder.Sql(@"INSERT OR IGNORE INTO ""RunAlertKeys"" (""QueryRunId"", ""AlertId"", ""Key"") SELECT * FROM (SELECT ""QueryRunId"", ""AlertId"", substr(lower(replace(replace(replace(replace(replace(""Name"", ' ', ''), '-', ''), '_', ''), '(', ''), ')', '')), 1, 100) AS ""Key"" FROM ""RunAlerts"" UNION SELECT ""QueryRunId"", ""AlertId"", substr(lower(replace(replace(replace(replace(replace(""AlertId"", ' ', ''), '-', ''), '_', ''), '(', ''), ')', '')), 1, 100) AS ""Key"" FROM ""RunAlerts"") AS k WHERE k.""Key"" <> '';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunAlertKeys");

            migrationBuilder.DropTable(
                name: "TriageDecisions");

            migrationBuilder.DropColumn(
                name: "Band",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "ClassificationsJson",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "DetailsFetched",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "Detections",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "FirstDetection",
                table: "RunAlerts");

            migrationBuilder.DropColumn(
                name: "LastDetection",
                table: "RunAlerts");
        }
    }
}
