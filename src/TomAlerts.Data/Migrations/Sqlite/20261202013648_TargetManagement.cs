using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TargetManagement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TargetExtras_TargetId_Key",
                table: "TargetExtras");

            migrationBuilder.AddColumn<string>(
                name: "ClassName",
                table: "Targets",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ClassSource",
                table: "Targets",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_ArgOfPerihelion",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_Eccentricity",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_EpochOfElements",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_EpochOfPerihelion",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_Inclination",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_LongAscendingNode",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_MeanAnomaly",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_MeanDailyMotion",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_PerihelionDistance",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Elements_Scheme",
                table: "Targets",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "Elements_SemimajorAxis",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LastBand",
                table: "Targets",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastDetection",
                table: "Targets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LastMagnitude",
                table: "Targets",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PhotometryCount",
                table: "Targets",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "SetAt",
                table: "TargetExtras",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "TargetExtras",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Comments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TargetId = table.Column<int>(type: "INTEGER", nullable: true),
                    Broker = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    AlertId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", nullable: true),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Edited = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Comments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Comments_AspNetUsers_AuthorId",
                        column: x => x.AuthorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Comments_Targets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "Targets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Groups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Personal = table.Column<bool>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", nullable: true),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Groups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Groups_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InviteCodes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedBy = table.Column<string>(type: "TEXT", nullable: true),
                    Used = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InviteCodes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LastVisits",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LastVisits", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_LastVisits_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RunFollowUps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    QueryRunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Hook = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttempt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Started = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Finished = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunFollowUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RunFollowUps_QueryRuns_QueryRunId",
                        column: x => x.QueryRunId,
                        principalTable: "QueryRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TargetLists",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", nullable: true),
                    Visibility = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Created = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Modified = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TargetLists", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TargetLists_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "GroupMembers",
                columns: table => new
                {
                    GroupId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    IsDefault = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GroupMembers", x => new { x.GroupId, x.UserId });
                    table.ForeignKey(
                        name: "FK_GroupMembers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GroupMembers_Groups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "Groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TargetGroups",
                columns: table => new
                {
                    TargetId = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TargetGroups", x => new { x.TargetId, x.GroupId });
                    table.ForeignKey(
                        name: "FK_TargetGroups_Groups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "Groups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TargetGroups_Targets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "Targets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TargetListMembers",
                columns: table => new
                {
                    TargetListId = table.Column<int>(type: "INTEGER", nullable: false),
                    TargetId = table.Column<int>(type: "INTEGER", nullable: false),
                    Added = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AddedBy = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TargetListMembers", x => new { x.TargetListId, x.TargetId });
                    table.ForeignKey(
                        name: "FK_TargetListMembers_AspNetUsers_AddedBy",
                        column: x => x.AddedBy,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_TargetListMembers_TargetLists_TargetListId",
                        column: x => x.TargetListId,
                        principalTable: "TargetLists",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TargetListMembers_Targets_TargetId",
                        column: x => x.TargetId,
                        principalTable: "Targets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_ClassName_Id",
                table: "Targets",
                columns: new[] { "ClassName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_ClassSource_Id",
                table: "Targets",
                columns: new[] { "ClassSource", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Dec_Id",
                table: "Targets",
                columns: new[] { "Dec", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_LastBand_Id",
                table: "Targets",
                columns: new[] { "LastBand", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_LastDetection_Id",
                table: "Targets",
                columns: new[] { "LastDetection", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_LastMagnitude_Id",
                table: "Targets",
                columns: new[] { "LastMagnitude", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_PhotometryCount_Id",
                table: "Targets",
                columns: new[] { "PhotometryCount", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Targets_Ra_Id",
                table: "Targets",
                columns: new[] { "Ra", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_TargetExtras_TargetId_Source_Key",
                table: "TargetExtras",
                columns: new[] { "TargetId", "Source", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Comments_AlertId",
                table: "Comments",
                column: "AlertId");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_AuthorId",
                table: "Comments",
                column: "AuthorId");

            migrationBuilder.CreateIndex(
                name: "IX_Comments_Broker_AlertId",
                table: "Comments",
                columns: new[] { "Broker", "AlertId" });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_TargetId_Created",
                table: "Comments",
                columns: new[] { "TargetId", "Created" });

            migrationBuilder.CreateIndex(
                name: "IX_GroupMembers_UserId",
                table: "GroupMembers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_Groups_Name",
                table: "Groups",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_Groups_OwnerId",
                table: "Groups",
                column: "OwnerId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InviteCodes_Code",
                table: "InviteCodes",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RunFollowUps_QueryRunId_Hook",
                table: "RunFollowUps",
                columns: new[] { "QueryRunId", "Hook" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RunFollowUps_State_NextAttempt",
                table: "RunFollowUps",
                columns: new[] { "State", "NextAttempt" });

            migrationBuilder.CreateIndex(
                name: "IX_TargetGroups_GroupId_TargetId",
                table: "TargetGroups",
                columns: new[] { "GroupId", "TargetId" });

            migrationBuilder.CreateIndex(
                name: "IX_TargetListMembers_AddedBy",
                table: "TargetListMembers",
                column: "AddedBy");

            migrationBuilder.CreateIndex(
                name: "IX_TargetListMembers_TargetId",
                table: "TargetListMembers",
                column: "TargetId");

            migrationBuilder.CreateIndex(
                name: "IX_TargetLists_OwnerId",
                table: "TargetLists",
                column: "OwnerId");
            // Data: nothing visible before the upgrade is hidden after it (ADR-009). Every existing user gets a personal group
            // and joins "Everyone", which holds every existing target and stays their default for new ones.
            migrationBuilder.Sql(@"INSERT INTO ""Groups"" (""Name"", ""Personal"", ""OwnerId"", ""Created"") SELECT SUBSTR(COALESCE(""Email"", ""UserName"", ""Id""), 1, 100), TRUE, ""Id"", CURRENT_TIMESTAMP FROM ""AspNetUsers"";");
            migrationBuilder.Sql(@"INSERT INTO ""GroupMembers"" (""GroupId"", ""UserId"", ""IsDefault"") SELECT ""Id"", ""OwnerId"", FALSE FROM ""Groups"" WHERE ""Personal"" AND ""OwnerId"" IS NOT NULL;");
            migrationBuilder.Sql(@"INSERT INTO ""Groups"" (""Name"", ""Personal"", ""OwnerId"", ""Created"") SELECT 'Everyone', FALSE, NULL, CURRENT_TIMESTAMP WHERE EXISTS (SELECT 1 FROM ""AspNetUsers"") OR EXISTS (SELECT 1 FROM ""Targets"");");
            migrationBuilder.Sql(@"INSERT INTO ""GroupMembers"" (""GroupId"", ""UserId"", ""IsDefault"") SELECT g.""Id"", u.""Id"", TRUE FROM ""Groups"" g CROSS JOIN ""AspNetUsers"" u WHERE g.""Name"" = 'Everyone' AND NOT g.""Personal"";");
            migrationBuilder.Sql(@"INSERT INTO ""TargetGroups"" (""TargetId"", ""GroupId"") SELECT t.""Id"", g.""Id"" FROM ""Targets"" t CROSS JOIN ""Groups"" g WHERE g.""Name"" = 'Everyone' AND NOT g.""Personal"";");

            // Data: the list page's columns of existing targets, from their photometry.
            migrationBuilder.Sql(@"UPDATE ""Targets"" SET ""PhotometryCount"" = (SELECT COUNT(*) FROM ""Photometry"" p WHERE p.""TargetId"" = ""Targets"".""Id"");");
            foreach (var (column, source) in new[] { ("LastMagnitude", "Magnitude"), ("LastBand", "Bandpass"), ("LastDetection", "Timestamp") })
            {
                migrationBuilder.Sql($@"UPDATE ""Targets"" SET ""{column}"" = (SELECT p.""{source}"" FROM ""Photometry"" p WHERE p.""TargetId"" = ""Targets"".""Id"" AND p.""Kind"" = 'Detection' AND p.""Magnitude"" IS NOT NULL ORDER BY p.""Timestamp"" DESC, p.""Id"" DESC LIMIT 1);");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Comments");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "GroupMembers");

            migrationBuilder.DropTable(
                name: "InviteCodes");

            migrationBuilder.DropTable(
                name: "LastVisits");

            migrationBuilder.DropTable(
                name: "RunFollowUps");

            migrationBuilder.DropTable(
                name: "TargetGroups");

            migrationBuilder.DropTable(
                name: "TargetListMembers");

            migrationBuilder.DropTable(
                name: "Groups");

            migrationBuilder.DropTable(
                name: "TargetLists");

            migrationBuilder.DropIndex(
                name: "IX_Targets_ClassName_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_ClassSource_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_Dec_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_LastBand_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_LastDetection_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_LastMagnitude_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_PhotometryCount_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_Targets_Ra_Id",
                table: "Targets");

            migrationBuilder.DropIndex(
                name: "IX_TargetExtras_TargetId_Source_Key",
                table: "TargetExtras");

            migrationBuilder.DropColumn(
                name: "ClassName",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "ClassSource",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_ArgOfPerihelion",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_Eccentricity",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_EpochOfElements",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_EpochOfPerihelion",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_Inclination",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_LongAscendingNode",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_MeanAnomaly",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_MeanDailyMotion",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_PerihelionDistance",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_Scheme",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "Elements_SemimajorAxis",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "LastBand",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "LastDetection",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "LastMagnitude",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "PhotometryCount",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "SetAt",
                table: "TargetExtras");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "TargetExtras");

            migrationBuilder.CreateIndex(
                name: "IX_TargetExtras_TargetId_Key",
                table: "TargetExtras",
                columns: new[] { "TargetId", "Key" },
                unique: true);
        }
    }
}
