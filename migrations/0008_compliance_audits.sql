CREATE TABLE "compliance_audit_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"samples" integer NOT NULL,
	"requested_by" uuid NOT NULL,
	"by_reviewer" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "compliance_audit_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"challenge_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"proof_id" uuid
);
--> statement-breakpoint
ALTER TABLE "compliance_proofs" ADD COLUMN "record_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "compliance_audit_challenges" ADD CONSTRAINT "compliance_audit_challenges_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_audit_challenges" ADD CONSTRAINT "compliance_audit_challenges_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "compliance_audit_nonces" ADD CONSTRAINT "compliance_audit_nonces_challenge_id_compliance_audit_challenges_id_fk" FOREIGN KEY ("challenge_id") REFERENCES "public"."compliance_audit_challenges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "compliance_audit_challenges_version_idx" ON "compliance_audit_challenges" USING btree ("version_id","created_at");--> statement-breakpoint
CREATE INDEX "compliance_audit_nonces_challenge_idx" ON "compliance_audit_nonces" USING btree ("challenge_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "compliance_proofs_record_hash_key" ON "compliance_proofs" USING btree ("record_hash");