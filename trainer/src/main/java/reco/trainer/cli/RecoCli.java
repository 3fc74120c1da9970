package reco.trainer.cli; public class RecoCli { public static void main(String[] a){} }
